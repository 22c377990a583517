using PvMonitor.Learning.Autograd;

namespace PvMonitor.Learning.Tensors;

public sealed partial class Tensor
{
    // Operators record on the graph that owns an operand. With two leaves there is no graph: use the Graph methods.

    /// <summary>Elementwise sum with broadcasting (see <see cref="Graph.Add"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => GraphOf(a, b).Add(a, b);

    /// <summary>Elementwise difference with broadcasting (see <see cref="Graph.Sub"/>).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => GraphOf(a, b).Sub(a, b);

    /// <summary>Elementwise product with broadcasting (see <see cref="Graph.Mul"/>).</summary>
    public static Tensor operator *(Tensor a, Tensor b) => GraphOf(a, b).Mul(a, b);

    /// <summary>Elementwise quotient with broadcasting (see <see cref="Graph.Div"/>).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => GraphOf(a, b).Div(a, b);

    /// <summary><c>a + s</c>.</summary>
    public static Tensor operator +(Tensor a, float s) => GraphOf(a).AddScalar(a, s);

    /// <summary><c>s + a</c>.</summary>
    public static Tensor operator +(float s, Tensor a) => GraphOf(a).AddScalar(a, s);

    /// <summary><c>a − s</c>.</summary>
    public static Tensor operator -(Tensor a, float s) => GraphOf(a).AddScalar(a, -s);

    /// <summary><c>s − a</c>.</summary>
    public static Tensor operator -(float s, Tensor a) => GraphOf(a).ScaleAdd(a, -1f, s);

    /// <summary><c>a · s</c>.</summary>
    public static Tensor operator *(Tensor a, float s) => GraphOf(a).Scale(a, s);

    /// <summary><c>s · a</c>.</summary>
    public static Tensor operator *(float s, Tensor a) => GraphOf(a).Scale(a, s);

    /// <summary><c>a / s</c>.</summary>
    public static Tensor operator /(Tensor a, float s) => GraphOf(a).Scale(a, 1f / s);

    /// <summary><c>−a</c>.</summary>
    public static Tensor operator -(Tensor a) => GraphOf(a).Scale(a, -1f);

    private static Graph GraphOf(Tensor a) =>
        a.Owner ?? throw new InvalidOperationException("Operators need a graph tensor operand; with leaves only, call the Graph method (e.g. graph.Add(a, b)).");

    private static Graph GraphOf(Tensor a, Tensor b) =>
        a.Owner ?? b.Owner ?? throw new InvalidOperationException("Operators need a graph tensor operand; with leaves only, call the Graph method (e.g. graph.Add(a, b)).");
}
