using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Serialization;

namespace PvMonitor.Learning.Training;

/// <summary>Keeps the best weights seen (by a score where higher is better) and says when patience has run out.</summary>
internal sealed class EarlyStopping
{
    private readonly Module _module;
    private readonly int _patience;
    private StateDict? _best;

    public EarlyStopping(Module module, int patience)
    {
        _module = module;
        _patience = patience;
    }

    public double BestScore { get; private set; } = double.NegativeInfinity;

    public int BestEpoch { get; private set; }

    /// <summary>Records the epoch's score; returns true when it is the best so far (its weights are copied).</summary>
    public bool Observe(int epoch, double score)
    {
        if (double.IsNaN(score) || score <= BestScore) return false;
        BestScore = score;
        BestEpoch = epoch;
        _best ??= new StateDict();
        var live = _module.StateDict();
        if (_best.Count == 0)
        {
            foreach (var (name, tensor) in live.Tensors) _best.Add(name, tensor.Clone());
        }
        else
        {
            foreach (var (name, tensor) in live.Tensors) tensor.Span.CopyTo(_best[name].Span);
        }

        return true;
    }

    public bool ShouldStop(int epoch) => _patience > 0 && BestEpoch > 0 && epoch - BestEpoch >= _patience;

    /// <summary>Loads the best weights back into the module (no-op if none were recorded).</summary>
    public void RestoreBest()
    {
        if (_best is not null) _module.LoadStateDict(_best);
    }
}
