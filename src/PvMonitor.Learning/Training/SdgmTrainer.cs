using System.Diagnostics;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Latent;
using PvMonitor.Learning.Models.Sdgm;
using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Training;

/// <summary>
/// Trains an <see cref="SdgmNetwork"/> semi-supervised: every step mixes a labeled mini-batch (objective L(x, y)) and an
/// unlabeled mini-batch (bound U(x)) drawn from all training rows, maximising mean L + mean U with Adam. α =
/// β·(N_l + N_u)/N_l with N_l labeled rows and N_u unlabeled rows. KL terms are warmed up linearly. The best epoch by a
/// moving average of the validation accuracy, ties decided by the validation ELBO (or by the validation ELBO alone when
/// there are too few labels to hold out, or only one class), is kept; the minimum run and the patience come from
/// <see cref="StoppingSchedule"/>.
/// The same loop trains every semi-supervised latent kind (m2, adgm, cagem through <see cref="ConditionModelTrainer"/>):
/// each network supplies L(x, y), U(x) and its classifier. With <see cref="SdgmOptions.Consistency"/> &gt; 0 every step
/// adds that weight times the mean log q(y|x̂) over ⌈U/K⌉ generated rows per class (U the unlabeled batch). With the
/// VampPrior, the pseudo-inputs start as K distinct training rows drawn with the run's seed (when there are at least K rows;
/// otherwise they keep their N(0, 1) initialisation).
/// </summary>
public static class SdgmTrainer
{
    /// <summary>Trains on <paramref name="device"/> (default CPU) and returns the network (on that device) with the best epoch's weights; no epoch starts after <paramref name="timeLimit"/> (default none).</summary>
    /// <param name="data">Standardised rows.</param>
    /// <param name="options">Architecture and training settings.</param>
    /// <param name="random">Every random draw.</param>
    /// <param name="progress">Per-epoch progress.</param>
    /// <param name="cancellationToken">Stops before the next step.</param>
    /// <param name="device">Where to train (default CPU).</param>
    /// <param name="timeLimit">No epoch starts after it.</param>
    /// <param name="parent">A trained network to continue from (<see cref="SdgmNetwork.InitialiseFrom"/>; fine-tuning), or null for fresh weights.</param>
    /// <exception cref="ArgumentException">The data has no rows, or <paramref name="parent"/> does not fit.</exception>
    public static (SdgmNetwork Network, TrainingOutcome Outcome) Train(TrainingSet data, SdgmOptions options, RandomSource random,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, Device? device = null, TimeSpan? timeLimit = null,
        SdgmNetwork? parent = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Train(data, options, random, (d, k, g) =>
        {
            var network = new SdgmNetwork(d, k, options, g);
            return network;
        }, progress, cancellationToken, device, timeLimit, parent is null ? null : n => n.InitialiseFrom(parent));
    }

    /// <summary>
    /// Trains the latent network that <paramref name="create"/> builds (features, classes, initialisation generator) with the
    /// same loop; <paramref name="initialise"/> runs on it once it is on the device (fine-tuning).
    /// </summary>
    internal static (T Network, TrainingOutcome Outcome) Train<T>(TrainingSet data, SdgmOptions options, RandomSource random,
        Func<int, int, Generator, T> create, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default,
        Device? device = null, TimeSpan? timeLimit = null, Action<T>? initialise = null)
        where T : ILatentNetwork
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        if (data.Rows == 0) throw new ArgumentException("The training data has no rows.", nameof(data));
        TorchRuntime.EnsureLoaded();
        var stopwatch = Stopwatch.StartNew();
        int d = data.FeatureCount, k = data.ClassCount;

        var (train, validation, labelValidation) = SplitValidation(data, options.ValidationFraction, random);
        var labeled = new List<int>();
        for (int i = 0; i < train.Rows; i++) if (train.Labels[i] >= 0) labeled.Add(i);
        int nl = labeled.Count, nu = train.Rows - nl;
        double alpha = nl == 0 ? 0.0 : options.Beta * (double)(nl + nu) / nl;

        using var context = new TrainingContext(random, device ?? CPU);
        var network = create(d, k, context.InitGenerator);
        var module = network.Module;
        module.to(context.Device);
        initialise?.Invoke(network);
        if (network.Prior is { } vamp && vamp.Count <= train.Rows)
        {
            var rows = Sampling.Permutation(train.Rows, random)[..vamp.Count];
            using var picked = context.Upload(train.Subset(rows));
            vamp.CopyFrom(picked);
        }

        var parameters = module.parameters().ToArray();
        using var adam = optim.Adam(parameters, options.LearningRate);
        int bl = Math.Min(options.LabeledBatch, Math.Max(1, nl));
        int bu = Math.Min(options.UnlabeledBatch, train.Rows);
        int steps = (train.Rows + bu - 1) / bu;
        var (minEpochs, patience) = StoppingSchedule.Resolve(options.MinEpochs, options.Patience, options.Epochs, steps);
        using var stopping = new EarlyStopping(module, patience, minEpochs, options.Smoothing);
        using var trainX = context.Upload(train);
        using var trainY = tensor(train.Labels.Select(y => (long)y).ToArray(), device: context.Device);
        using var validationX = context.Upload(validation);

        var unlabeledOrder = Sampling.Permutation(train.Rows, random);
        var labeledOrder = options.BalancedLabels ? Balanced(labeled, train.Labels) : labeled.ToArray();
        random.Shuffle(labeledOrder.AsSpan());
        int labeledCursor = 0;
        var rowsL = new int[bl];
        int epoch;
        for (epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            module.train();
            random.Shuffle(unlabeledOrder.AsSpan());
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                double progressInEpochs = epoch - 1 + (double)step / steps;
                double klWeight = options.WarmupEpochs == 0 ? 1.0 : Math.Min(1.0, progressInEpochs / options.WarmupEpochs);
                int start = step * bu;
                int nuBatch = Math.Min(bu, train.Rows - start);
                using var scope = NewDisposeScope();
                var xu = trainX.index_select(0, context.Index(unlabeledOrder.AsSpan(start, nuBatch)));
                var objective = network.UnlabeledBound(xu, klWeight, context.NoiseGenerator).mean();
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
                    }

                    var index = context.Index(rowsL);
                    var l = network.LabeledObjective(trainX.index_select(0, index), trainY.index_select(0, index), alpha, klWeight, context.NoiseGenerator).mean();
                    objective = objective + l;
                }

                if (options.Consistency > 0)
                {
                    int perClass = Math.Max(1, (bu + k - 1) / k);
                    objective = objective + network.ConsistencyLogLikelihood(perClass, context.NoiseGenerator).mean().Times(options.Consistency);
                }

                var loss = -objective;
                adam.zero_grad();
                loss.backward();
                if (options.ClipNorm > 0) nn.utils.clip_grad_norm_(parameters, options.ClipNorm);
                adam.step();
                lossSum += loss.item<float>();
            }

            var (accuracy, elbo) = Validate(network, validationX, validation, context.NoiseGenerator);
            double score = labelValidation ? accuracy : elbo;
            bool best = stopping.Observe(epoch, score, labelValidation ? elbo : double.NaN);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, lossSum / steps, accuracy, elbo, stopwatch.Elapsed, best));
            if (stopping.ShouldStop(epoch) || stopwatch.Elapsed >= timeLimit) break;
        }

        stopping.RestoreBest();
        module.eval();
        var (bestAcc, bestElbo) = Validate(network, validationX, validation, context.NoiseGenerator);
        return (network, new TrainingOutcome(Math.Min(epoch, options.Epochs), stopping.BestEpoch, bestAcc, bestElbo, stopwatch.Elapsed, alpha)
        {
            MinEpochs = minEpochs,
            Patience = patience,
        });
    }

    /// <summary>Every class's rows cycled up to the largest class's count (an epoch of labelled batches then sees each class equally often).</summary>
    internal static int[] Balanced(List<int> labeled, IReadOnlyList<int> labels)
    {
        var byClass = labeled.GroupBy(i => labels[i]).Select(g => g.ToArray()).ToList();
        if (byClass.Count == 0) return [];
        var size = byClass.Max(rows => rows.Length);
        var order = new int[size * byClass.Count];
        var n = 0;
        foreach (var rows in byClass)
            for (var j = 0; j < size; j++) order[n++] = rows[j % rows.Length];
        return order;
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
        bool byAccuracy = fraction > 0 && wanted >= 2 * data.ClassCount && data.ClassCount > 1;
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
            bool single = data.ClassCount == 1;
            for (int j = 0; j < order.Length; j++)
            {
                // Labeled rows stay in training when labels are scarce: every one of them counts. With one class, labels
                // carry no choice, so validation rows are drawn from all rows and judged by their ELBO.
                if (j < n && (single || data.Labels[order[j]] < 0)) validation.Add(order[j]);
                else train.Add(order[j]);
            }

            if (validation.Count == 0) validation.AddRange(train.Take(Math.Min(train.Count, 1000)));
        }

        return (data.Subset(train.ToArray()), data.Subset(validation.ToArray()), byAccuracy);
    }

    private static (double Accuracy, double Elbo) Validate<T>(T network, Tensor x, TrainingSet validation, Generator generator)
        where T : ILatentNetwork
    {
        var module = network.Module;
        bool wasTraining = module.training;
        module.eval();
        using var mode = no_grad();
        int correct = 0, labeled = 0;
        double elboSum = 0;
        const int chunk = 2048;
        for (int start = 0; start < validation.Rows; start += chunk)
        {
            int n = Math.Min(chunk, validation.Rows - start);
            using var scope = NewDisposeScope();
            var xs = x.narrow(0, start, n);
            var predicted = network.ClassifierLogits(xs).argmax(1).to(CPU).data<long>().ToArray();
            for (int i = 0; i < n; i++)
            {
                int y = validation.Labels[start + i];
                if (y < 0) continue;
                labeled++;
                if (predicted[i] == y) correct++;
            }

            elboSum += network.UnlabeledBound(xs, 1.0, generator).sum().item<float>();
        }

        module.train(wasTraining);
        return (labeled == 0 ? double.NaN : (double)correct / labeled, validation.Rows == 0 ? double.NaN : elboSum / validation.Rows);
    }

    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
