using System.Diagnostics;
using PvMonitor.Learning.Data;
using PvMonitor.Learning.Models.Classifiers;
using PvMonitor.Learning.Torch;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace PvMonitor.Learning.Training;

/// <summary>Trains the supervised baselines (MLP, MLR) with cross-entropy and Adam on labeled rows only.</summary>
public static class ClassifierTrainer
{
    /// <summary>Trains on the labeled rows of <paramref name="data"/> (unlabeled rows are ignored) on <paramref name="device"/> (default CPU).</summary>
    /// <exception cref="ArgumentException">There are no labeled rows.</exception>
    public static (ClassifierNetwork Network, TrainingOutcome Outcome) Train(TrainingSet data, ClassifierOptions options, RandomSource random,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, Device? device = null, TimeSpan? timeLimit = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        TorchRuntime.EnsureLoaded();
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

        using var context = new TrainingContext(random, device ?? CPU);
        var network = new ClassifierNetwork(data.FeatureCount, data.ClassCount, options, context.InitGenerator);
        network.to(context.Device);
        network.DropoutGenerator = context.NoiseGenerator;
        using var adam = optim.Adam(network.parameters(), options.LearningRate, weight_decay: options.L2);
        int batch = Math.Min(options.Batch, trainRows.Length);
        int steps = (trainRows.Length + batch - 1) / batch;
        var (minEpochs, patience) = StoppingSchedule.Resolve(options.MinEpochs, options.Patience, options.Epochs, steps);
        using var stopping = new EarlyStopping(network, patience, minEpochs, validation is null ? 1.0 : options.Smoothing);
        using var allX = context.Upload(data);
        using var allY = tensor(data.Labels.Select(y => (long)y).ToArray(), device: context.Device);
        using var validationX = validation is null ? null : context.Upload(validation);
        int epoch;
        for (epoch = 1; epoch <= options.Epochs; epoch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            network.train();
            random.Shuffle(trainRows.AsSpan());
            double lossSum = 0;
            for (int step = 0; step < steps; step++)
            {
                int start = step * batch, n = Math.Min(batch, trainRows.Length - start);
                using var scope = NewDisposeScope();
                var index = context.Index(trainRows.AsSpan(start, n));
                var loss = cross_entropy(network.forward(allX.index_select(0, index)), allY.index_select(0, index));
                adam.zero_grad();
                loss.backward();
                adam.step();
                lossSum += loss.item<float>();
            }

            double accuracy = validation is null ? double.NaN : Accuracy(network, validationX!, validation);
            // Without validation labels keep the last epoch (score rises with the epoch number).
            bool best = stopping.Observe(epoch, validation is null ? epoch : accuracy);
            progress?.Report(new TrainingProgress(epoch, options.Epochs, lossSum / steps, accuracy, double.NaN, stopwatch.Elapsed, best));
            if ((validation is not null && stopping.ShouldStop(epoch)) || stopwatch.Elapsed >= timeLimit) break;
        }

        stopping.RestoreBest();
        network.eval();
        network.DropoutGenerator = null;
        double bestAccuracy = validation is null ? double.NaN : Accuracy(network, validationX!, validation);
        return (network, new TrainingOutcome(Math.Min(epoch, options.Epochs), stopping.BestEpoch, bestAccuracy, double.NaN, stopwatch.Elapsed, double.NaN)
        {
            MinEpochs = minEpochs,
            Patience = patience,
        });
    }

    private static double Accuracy(ClassifierNetwork network, Tensor x, TrainingSet set)
    {
        bool wasTraining = network.training;
        network.eval();
        using var mode = no_grad();
        using var scope = NewDisposeScope();
        var predicted = network.forward(x).argmax(1).to(CPU).data<long>().ToArray();
        int correct = 0;
        for (int i = 0; i < set.Rows; i++) if (predicted[i] == set.Labels[i]) correct++;
        network.train(wasTraining);
        return set.Rows == 0 ? double.NaN : (double)correct / set.Rows;
    }
}
