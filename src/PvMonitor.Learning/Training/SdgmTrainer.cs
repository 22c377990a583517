using System.Diagnostics;
using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Training;

/// <summary>
/// Trains an <see cref="SdgmNetwork"/> semi-supervised: every step mixes a labeled mini-batch (objective L(x, y)) and an
/// unlabeled mini-batch (bound U(x)) drawn from all training rows, maximising mean L + mean U with Adam. α =
/// β·(N_l + N_u)/N_l with N_l labeled rows and N_u unlabeled rows. KL terms are warmed up linearly. The best epoch by
/// validation accuracy (or by validation ELBO when there are too few labels to hold out) is kept.
/// </summary>
public static class SdgmTrainer
{
    /// <summary>Trains and returns the network with the best epoch's weights.</summary>
    /// <exception cref="ArgumentException">The data has no rows.</exception>
    public static (SdgmNetwork Network, TrainingOutcome Outcome) Train(TrainingSet data, SdgmOptions options, RandomSource random,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Rows == 0) throw new ArgumentException("The training data has no rows.", nameof(data));
        var stopwatch = Stopwatch.StartNew();
        int d = data.FeatureCount, k = data.ClassCount;

        var (train, validation, labelValidation) = SplitValidation(data, options.ValidationFraction, random);
        var labeled = new List<int>();
        for (int i = 0; i < train.Rows; i++) if (train.Labels[i] >= 0) labeled.Add(i);
        int nl = labeled.Count, nu = train.Rows - nl;
        float alpha = nl == 0 ? 0f : options.Beta * (nl + nu) / nl;

        var network = new SdgmNetwork(d, k, options, random);
        var adam = new Adam(network, new AdamOptions { LearningRate = options.LearningRate });
        var graph = new Graph();
        var stopping = new EarlyStopping(network, options.Patience);

        int bl = Math.Min(options.LabeledBatch, Math.Max(1, nl));
        int bu = Math.Min(options.UnlabeledBatch, train.Rows);
        int steps = (train.Rows + bu - 1) / bu;
        var unlabeledOrder = Sampling.Permutation(train.Rows, random);
        var labeledOrder = labeled.ToArray();
        random.Shuffle(labeledOrder.AsSpan());
        int labeledCursor = 0;
        var xl = new float[bl * d];
        var yl = new int[bl];
        var xu = new float[bu * d];
        var rowsL = new int[bl];
        int epoch = 0;
        for (epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            random.Shuffle(unlabeledOrder.AsSpan());
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                float progressInEpochs = epoch - 1 + (float)step / steps;
                float klWeight = options.WarmupEpochs == 0 ? 1f : Math.Min(1f, progressInEpochs / options.WarmupEpochs);
                int start = step * bu;
                int nuBatch = Math.Min(bu, train.Rows - start);
                train.GatherRows(unlabeledOrder.AsSpan(start, nuBatch), xu);

                graph.Reset();
                var xuT = graph.Input(xu.AsSpan(0, nuBatch * d), nuBatch, d);
                var u = graph.Mean(network.UnlabeledBound(graph, xuT, klWeight, random));
                Tensor objective = u;
                if (nl > 0)
                {
                    for (int i = 0; i < bl; i++)
                    {
                        if (labeledCursor == labeledOrder.Length)
                        {
                            random.Shuffle(labeledOrder.AsSpan());
                            labeledCursor = 0;
                        }

                        rowsL[i] = labeledOrder[labeledCursor++];
                        yl[i] = train.Labels[rowsL[i]];
                    }

                    train.GatherRows(rowsL, xl);
                    var xlT = graph.Input(xl, bl, d);
                    var l = graph.Mean(network.LabeledObjective(graph, xlT, yl, alpha, klWeight, random));
                    objective = graph.Add(u, l);
                }

                var loss = graph.Scale(objective, -1f);
                adam.ZeroGrad();
                graph.Backward(loss);
                if (options.ClipNorm > 0) GradientClipping.ClipByGlobalNorm(adam.Parameters, options.ClipNorm);
                adam.Step();
                lossSum += loss[0];
            }

            var (accuracy, elbo) = Validate(network, validation, graph, random);
            double score = labelValidation ? accuracy : elbo;
            bool best = stopping.Observe(epoch, score);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, lossSum / steps, accuracy, elbo, stopwatch.Elapsed, best));
            if (stopping.ShouldStop(epoch)) break;
        }

        stopping.RestoreBest();
        network.Eval();
        var (bestAcc, bestElbo) = Validate(network, validation, graph, random);
        return (network, new TrainingOutcome(Math.Min(epoch, options.Epochs), stopping.BestEpoch, bestAcc, bestElbo, stopwatch.Elapsed, alpha));
    }

    /// <summary>
    /// Holds out <paramref name="fraction"/> of the labeled rows for validation when that gives at least two rows per class;
    /// otherwise holds out that fraction of all rows and validates on their ELBO only (labels hidden from selection).
    /// </summary>
    private static (TrainingSet Train, TrainingSet Validation, bool ByAccuracy) SplitValidation(TrainingSet data, double fraction, RandomSource random)
    {
        var order = Sampling.Permutation(data.Rows, random);
        int labeledCount = data.LabeledCount;
        int wanted = (int)Math.Round(labeledCount * fraction);
        bool byAccuracy = fraction > 0 && wanted >= 2 * data.ClassCount;
        var validation = new List<int>();
        var train = new List<int>(data.Rows);
        if (byAccuracy)
        {
            foreach (var i in order)
            {
                if (data.Labels[i] >= 0 && validation.Count < wanted) validation.Add(i);
                else train.Add(i);
            }
        }
        else
        {
            int n = fraction > 0 ? Math.Max(1, (int)Math.Round(data.Rows * fraction)) : 0;
            for (int j = 0; j < order.Length; j++)
            {
                // Labeled rows stay in training when labels are scarce: every one of them counts.
                if (j < n && data.Labels[order[j]] < 0) validation.Add(order[j]);
                else train.Add(order[j]);
            }

            if (validation.Count == 0) validation.AddRange(train.Take(Math.Min(train.Count, 1000)));
        }

        return (data.Subset(train.ToArray()), data.Subset(validation.ToArray()), byAccuracy);
    }

    private static (double Accuracy, double Elbo) Validate(SdgmNetwork network, TrainingSet validation, Graph graph, RandomSource random)
    {
        bool wasGrad = graph.GradientsEnabled;
        graph.GradientsEnabled = false;
        int d = validation.FeatureCount, k = validation.ClassCount;
        int correct = 0, labeled = 0;
        double elboSum = 0;
        const int chunk = 512;
        var rows = new int[chunk];
        var x = new float[chunk * d];
        for (int start = 0; start < validation.Rows; start += chunk)
        {
            int n = Math.Min(chunk, validation.Rows - start);
            for (int i = 0; i < n; i++) rows[i] = start + i;
            validation.GatherRows(rows.AsSpan(0, n), x);
            graph.Reset();
            var xt = graph.Input(x.AsSpan(0, n * d), n, d);
            var logits = network.ClassLogitsAtMean(graph, xt).Span;
            for (int i = 0; i < n; i++)
            {
                int y = validation.Labels[start + i];
                if (y < 0) continue;
                labeled++;
                if (ArgMax(logits.Slice(i * k, k)) == y) correct++;
            }

            var bound = network.UnlabeledBound(graph, xt, 1f, random).Span;
            for (int i = 0; i < n; i++) elboSum += bound[i];
        }

        graph.GradientsEnabled = wasGrad;
        graph.Reset();
        return (labeled == 0 ? double.NaN : (double)correct / labeled, validation.Rows == 0 ? double.NaN : elboSum / validation.Rows);
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
