using PvMonitor.Learning.Tensors;

namespace PvMonitor.Learning.Serialization;

/// <summary>
/// Named tensors (parameters, buffers, optimizer moments) and named scalars (e.g. the optimizer step), in insertion
/// order. Names are unique across both kinds. This is what parameter files store.
/// </summary>
public sealed class StateDict
{
    private readonly List<KeyValuePair<string, Tensor>> _tensors = [];
    private readonly List<KeyValuePair<string, double>> _scalars = [];
    private readonly Dictionary<string, int> _tensorIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _scalarIndex = new(StringComparer.Ordinal);

    /// <summary>Tensors in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> Tensors => _tensors;

    /// <summary>Scalars in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Scalars => _scalars;

    /// <summary>Number of entries of both kinds.</summary>
    public int Count => _tensors.Count + _scalars.Count;

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    public Tensor this[string name] => TryGetTensor(name, out var t) ? t : throw new KeyNotFoundException($"No tensor '{name}'.");

    /// <summary>Adds a tensor entry (the tensor itself, not a copy).</summary>
    public void Add(string name, Tensor tensor)
    {
        CheckNew(name);
        ArgumentNullException.ThrowIfNull(tensor);
        _tensorIndex.Add(name, _tensors.Count);
        _tensors.Add(new(name, tensor));
    }

    /// <summary>Adds a scalar entry.</summary>
    public void AddScalar(string name, double value)
    {
        CheckNew(name);
        _scalarIndex.Add(name, _scalars.Count);
        _scalars.Add(new(name, value));
    }

    /// <summary>Looks up a tensor.</summary>
    public bool TryGetTensor(string name, out Tensor tensor)
    {
        if (_tensorIndex.TryGetValue(name, out int i))
        {
            tensor = _tensors[i].Value;
            return true;
        }

        tensor = null!;
        return false;
    }

    /// <summary>Looks up a scalar.</summary>
    public bool TryGetScalar(string name, out double value)
    {
        if (_scalarIndex.TryGetValue(name, out int i))
        {
            value = _scalars[i].Value;
            return true;
        }

        value = 0;
        return false;
    }

    private void CheckNew(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_tensorIndex.ContainsKey(name) || _scalarIndex.ContainsKey(name)) throw new ArgumentException($"Duplicate entry '{name}'.", nameof(name));
    }
}
