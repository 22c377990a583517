using PvMonitor.Learning.Serialization;
using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Nn;

/// <summary>
/// Base of everything with learnable state. A module registers named parameters, buffers (non-trained state such
/// as running statistics) and child modules; their dotted names (<c>encoder.0.weight</c>) form the state dict that
/// is saved and loaded. Models for the project (SDGM, MLP classifiers) derive from this.
/// </summary>
public abstract class Module
{
    private readonly List<KeyValuePair<string, Tensor>> _parameters = [];
    private readonly List<KeyValuePair<string, Tensor>> _buffers = [];
    private readonly List<KeyValuePair<string, Module>> _children = [];

    /// <summary>Training mode (default true): batch statistics in batch norm, active dropout.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Sets training mode on this module and all children.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var c in _children) c.Value.Train(training);
    }

    /// <summary>Evaluation mode: running statistics in batch norm, dropout off.</summary>
    public void Eval() => Train(false);

    /// <summary>Registers a trainable tensor (marks it as requiring gradients).</summary>
    protected Tensor RegisterParameter(string name, Tensor parameter)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.IsGraphTensor) throw new ArgumentException("Parameters must be leaf tensors.", nameof(parameter));
        parameter.RequiresGrad = true;
        _parameters.Add(new(name, parameter));
        return parameter;
    }

    /// <summary>Registers saved, non-trained state (e.g. running statistics).</summary>
    protected Tensor RegisterBuffer(string name, Tensor buffer)
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(buffer);
        _buffers.Add(new(name, buffer));
        return buffer;
    }

    /// <summary>Registers a child module whose names are prefixed with <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        ArgumentNullException.ThrowIfNull(module);
        _children.Add(new(name, module));
        return module;
    }

    /// <summary>All parameters with dotted names, in registration order (children after own parameters).</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedParameters()
    {
        var list = new List<KeyValuePair<string, Tensor>>();
        Collect(list, "", buffers: false);
        return list;
    }

    /// <summary>All buffers with dotted names.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedBuffers()
    {
        var list = new List<KeyValuePair<string, Tensor>>();
        Collect(list, "", buffers: true);
        return list;
    }

    /// <summary>All parameters, in the order of <see cref="NamedParameters"/>.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToArray();

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Value.Length);

    /// <summary>Zeroes the gradients of all parameters (allocates nothing).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.Value.ZeroGrad();
        foreach (var c in _children) c.Value.ZeroGrad();
    }

    /// <summary>Parameters and buffers by name. The entries are the live tensors (not copies).</summary>
    public StateDict StateDict()
    {
        var dict = new StateDict();
        foreach (var p in NamedParameters()) dict.Add(p.Key, p.Value);
        foreach (var b in NamedBuffers()) dict.Add(b.Key, b.Value);
        return dict;
    }

    /// <summary>
    /// Copies values from <paramref name="state"/> into this module's parameters and buffers. Every name must be
    /// present with the same shape (and, when <paramref name="strict"/>, no extra names); otherwise nothing is
    /// changed and a <see cref="StateDictMismatchException"/> lists every problem.
    /// </summary>
    public void LoadStateDict(StateDict state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        var problems = new List<string>();
        foreach (var (name, tensor) in own.Tensors)
        {
            if (!state.TryGetTensor(name, out var source)) problems.Add($"missing '{name}' {tensor.ShapeString}");
            else if (source.Rows != tensor.Rows || source.Cols != tensor.Cols) problems.Add($"'{name}' is {source.ShapeString} in the file, {tensor.ShapeString} in the model");
        }

        if (strict)
        {
            foreach (var (name, _) in state.Tensors)
                if (!own.TryGetTensor(name, out _)) problems.Add($"unexpected '{name}'");
        }

        if (problems.Count > 0) throw new StateDictMismatchException(problems);
        foreach (var (name, tensor) in own.Tensors)
        {
            state.TryGetTensor(name, out var source);
            source!.Span.CopyTo(tensor.Span);
        }
    }

    private void Collect(List<KeyValuePair<string, Tensor>> list, string prefix, bool buffers)
    {
        foreach (var p in buffers ? _buffers : _parameters) list.Add(new(prefix + p.Key, p.Value));
        foreach (var c in _children) c.Value.Collect(list, prefix + c.Key + ".", buffers);
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.')) throw new ArgumentException($"Invalid name '{name}': non-empty, without dots.", nameof(name));
        if (_parameters.Any(p => p.Key == name) || _buffers.Any(p => p.Key == name) || _children.Any(p => p.Key == name))
            throw new ArgumentException($"Name '{name}' is already registered.", nameof(name));
    }
}
