using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Training;

/// <summary>
/// Keeps a copy of the best weights seen and says when patience has run out. Epochs are compared by an exponential moving
/// average of their score (higher is better; <c>smoothing</c> = weight of the newest epoch, 1 = raw scores), so one lucky
/// epoch of a noisy validation accuracy is not what gets kept; equal smoothed scores are decided by a second raw score,
/// e.g. the validation ELBO when validation accuracy ties. No stop before <c>minEpochs</c>.
/// </summary>
internal sealed class EarlyStopping : IDisposable
{
    private readonly nn.Module _module;
    private readonly int _patience;
    private readonly int _minEpochs;
    private readonly double _smoothing;
    private double _average = double.NaN;
    private Dictionary<string, Tensor>? _best;

    public EarlyStopping(nn.Module module, int patience, int minEpochs = 0, double smoothing = 1.0)
    {
        _module = module;
        _patience = patience;
        _minEpochs = minEpochs;
        _smoothing = smoothing;
    }

    public double BestScore { get; private set; } = double.NegativeInfinity;

    public int BestEpoch { get; private set; }

    public double BestTieBreak { get; private set; } = double.NegativeInfinity;

    /// <summary>Records the epoch's score; returns true when it is the best so far (its weights are copied).</summary>
    public bool Observe(int epoch, double score, double tieBreak = double.NaN)
    {
        if (double.IsNaN(score)) return false;
        _average = double.IsNaN(_average) ? score : _average + _smoothing * (score - _average);
        score = _average;
        if (score < BestScore) return false;
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

    public bool ShouldStop(int epoch) => _patience > 0 && epoch >= _minEpochs && BestEpoch > 0 && epoch - BestEpoch >= _patience;

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
