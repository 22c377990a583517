using System.Diagnostics;
using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Optim;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Training;

/// <summary>Trains the supervised baselines (MLP, MLR) with cross-entropy and Adam on labeled rows only.</summary>
public static class ClassifierTrainer
{
    /// <summary>Trains on the labeled rows of <paramref name="data"/> (unlabeled rows are ignored).</summary>
    /// <exception cref="ArgumentException">There are no labeled rows.</exception>
    public static (Sequential Network, TrainingOutcome Outcome) Train(TrainingSet data, ClassifierOptions options, RandomSource random,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stopwatch = Stopwatch.StartNew();
        var labeled = new List<int>();
        for (int i = 0; i < data.Rows; i++) if (data.Labels[i] >= 0) labeled.Add(i);
        if (labeled.Count == 0) throw new ArgumentException("The MLP and MLR baselines need labeled rows; the data has none.", nameof(data));

        var order = labeled.ToArray();
        random.Shuffle(order.AsSpan());
        int validationCount = (int)Math.Round(order.Length * options.ValidationFraction);
        bool validate = validationCount >= 2 * data.ClassCount;
        var validation = validate ? data.Subset(order.AsSpan(0, validationCount)) : null;
        var trainRows = validate ? order[validationCount..] : order;

        int d = data.FeatureCount;
        var network = ClassifierNetwork.Build(d, data.ClassCount, options, random);
        var adam = new Adam(network, new AdamOptions { LearningRate = options.LearningRate, WeightDecay = options.L2 });
        var graph = new Graph();
        var stopping = new EarlyStopping(network, options.Patience);
        int batch = Math.Min(options.Batch, trainRows.Length);
        int steps = (trainRows.Length + batch - 1) / batch;
        var x = new float[batch * d];
        var y = new int[batch];
        int epoch;
        for (epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            network.Train();
            random.Shuffle(trainRows.AsSpan());
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                int start = step * batch, n = Math.Min(batch, trainRows.Length - start);
                var rows = trainRows.AsSpan(start, n);
                data.GatherRows(rows, x);
                for (int i = 0; i < n; i++) y[i] = data.Labels[rows[i]];
                graph.Reset();
                var logits = network.Forward(graph, graph.Input(x.AsSpan(0, n * d), n, d));
                var loss = graph.CrossEntropy(logits, y.AsSpan(0, n));
                adam.ZeroGrad();
                graph.Backward(loss);
                adam.Step();
                lossSum += loss[0];
            }

            network.Eval();
            double accuracy = validation is null ? double.NaN : Accuracy(network, validation, graph);
            // Without validation labels keep the last epoch (score rises with the epoch number).
            bool best = stopping.Observe(epoch, validation is null ? epoch : accuracy);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, lossSum / steps, accuracy, double.NaN, stopwatch.Elapsed, best));
            if (validation is not null && stopping.ShouldStop(epoch)) break;
        }

        stopping.RestoreBest();
        network.Eval();
        double bestAccuracy = validation is null ? double.NaN : Accuracy(network, validation, graph);
        return (network, new TrainingOutcome(Math.Min(epoch, options.Epochs), stopping.BestEpoch, bestAccuracy, double.NaN, stopwatch.Elapsed, double.NaN));
    }

    private static double Accuracy(Sequential network, TrainingSet set, Graph graph)
    {
        int d = set.FeatureCount, k = set.ClassCount, correct = 0;
        bool wasGrad = graph.GradientsEnabled;
        graph.GradientsEnabled = false; // scoring only: record nothing for backward
        const int chunk = 1024;
        var rows = new int[chunk];
        var x = new float[chunk * d];
        for (int start = 0; start < set.Rows; start += chunk)
        {
            int n = Math.Min(chunk, set.Rows - start);
            for (int i = 0; i < n; i++) rows[i] = start + i;
            set.GatherRows(rows.AsSpan(0, n), x);
            graph.Reset();
            var logits = network.Forward(graph, graph.Input(x.AsSpan(0, n * d), n, d)).Span;
            for (int i = 0; i < n; i++)
                if (SdgmTrainer.ArgMax(logits.Slice(i * k, k)) == set.Labels[start + i]) correct++;
        }

        graph.GradientsEnabled = wasGrad;
        graph.Reset();
        return set.Rows == 0 ? double.NaN : (double)correct / set.Rows;
    }
}
