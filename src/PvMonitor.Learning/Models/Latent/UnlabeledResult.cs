using static TorchSharp.torch;

namespace PvMonitor.Learning.Models.Latent;

/// <summary>U(x) per row, x repeated per class and the decoder's mean and log-variance per (row, class), rows b·K + k.</summary>
internal readonly record struct UnlabeledResult(Tensor Bound, Tensor RepeatedInput, Tensor DecoderMean, Tensor DecoderLogVar);
