using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Training;

/// <summary>
/// Keeps a copy of the best weights seen (by a score where higher is better; equal scores are decided by a second score,
/// e.g. the validation ELBO when validation accuracy ties) and says when patience has run out.
/// </summary>
internal sealed class EarlyStopping : IDisposable
{
    private readonly nn.Module _module;
    private readonly int _patience;
    private Dictionary<string, Tensor>? _best;

    public EarlyStopping(nn.Module module, int patience)
    {
        _module = module;
        _patience = patience;
    }

    public double BestScore { get; private set; } = double.NegativeInfinity;

    public int BestEpoch { get; private set; }

    public double BestTieBreak { get; private set; } = double.NegativeInfinity;

    /// <summary>Records the epoch's score; returns true when it is the best so far (its weights are copied).</summary>
    public bool Observe(int epoch, double score, double tieBreak = double.NaN)
    {
        if (double.IsNaN(score) || score < BestScore) return false;
        if (score == BestScore && !(tieBreak > BestTieBreak)) return false;
        BestScore = score;
        BestTieBreak = double.IsNaN(tieBreak) ? double.NegativeInfinity : tieBreak;
        BestEpoch = epoch;
        using var noGrad = no_grad();
        if (_best is null)
        {
            _best = new Dictionary<string, Tensor>();
            foreach (var (name, tensor) in _module.state_dict())
            {
                var copy = tensor.detach().clone();
                copy.DetachFromDisposeScope();
                _best[name] = copy;
            }
        }
        else
        {
            foreach (var (name, tensor) in _module.state_dict()) _best[name].copy_(tensor);
        }

        return true;
    }

    public bool ShouldStop(int epoch) => _patience > 0 && BestEpoch > 0 && epoch - BestEpoch >= _patience;

    /// <summary>Loads the best weights back into the module (no-op if none were recorded).</summary>
    public void RestoreBest()
    {
        if (_best is null) return;
        using var noGrad = no_grad();
        foreach (var (name, tensor) in _module.state_dict()) tensor.copy_(_best[name]);
    }

    public void Dispose()
    {
        if (_best is null) return;
        foreach (var t in _best.Values) t.Dispose();
        _best = null;
    }
}
