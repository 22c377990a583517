using PvMonitor.Learning.Autograd;
using PvMonitor.Learning.Nn;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Models.Sdgm;

/// <summary>An MLP whose output is a diagonal Gaussian: a mean and a log-variance bounded to [min, max] by a scaled sigmoid.</summary>
internal sealed class GaussianNetwork : Module
{
    private readonly Sequential _body;
    private readonly Linear _mean;
    private readonly Linear _logVar;
    private readonly float _min;
    private readonly float _max;

    public GaussianNetwork(int inputs, int outputs, SdgmOptions options, RandomSource random)
    {
        var builder = new MlpBuilder(inputs);
        for (int i = 0; i < options.Layers; i++) builder.Hidden(options.Hidden, options.Activation);
        _body = RegisterModule("body", builder.Build(random));
        _mean = RegisterModule("mean", new Linear(options.Hidden, outputs, random, WeightInit.XavierUniform));
        _logVar = RegisterModule("logvar", new Linear(options.Hidden, outputs, random, WeightInit.XavierUniform));
        _min = options.LogVarMin;
        _max = options.LogVarMax;
    }

    /// <summary>Mean and bounded log-variance for each input row.</summary>
    public (Tensor Mean, Tensor LogVar) Forward(Graph graph, Tensor input)
    {
        var h = _body.Forward(graph, input);
        var logVar = graph.ScaleAdd(graph.Sigmoid(_logVar.Forward(graph, h)), _max - _min, _min);
        return (_mean.Forward(graph, h), logVar);
    }
}
