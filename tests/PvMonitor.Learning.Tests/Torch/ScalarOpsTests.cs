using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PvMonitor.Learning.Torch;
using static TorchSharp.torch;

namespace PvMonitor.Learning.Tests.Torch;

public sealed class ScalarOpsTests
{
    [Fact]
    public void The_library_never_turns_a_number_into_a_Scalar_implicitly()
    {
        var source = FindSourceFolder();
        var trees = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Preview), path: f))
            .ToList();
        trees.Should().HaveCountGreaterThan(20, "the whole library source is checked");
        // The SDK's implicit global usings (ImplicitUsings), which the build adds in obj/.
        trees.Add(CSharpSyntaxTree.ParseText(
            "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; " +
            "global using System.Net.Http; global using System.Threading; global using System.Threading.Tasks;", new CSharpParseOptions(LanguageVersion.Preview), path: "GlobalUsings.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(TorchSharp.Scalar).Assembly.Location)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Where(p => p.Length > 0 && !p.EndsWith("PvMonitor.Learning.dll", StringComparison.Ordinal))
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("check", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        var scalar = compilation.GetTypeByMetadataName("TorchSharp.Scalar");
        scalar.Should().NotBeNull();
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795" /* LibraryImport: its source generator does not run here */).Take(5)
            .Select(d => d.ToString()).Should().BeEmpty("the check needs the library to compile with its references");

        var offences = new List<string>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var expression in tree.GetRoot().DescendantNodes().OfType<ExpressionSyntax>())
            {
                var conversion = model.GetConversion(expression);
                if (!conversion.IsUserDefined || !conversion.IsImplicit) continue;
                var info = model.GetTypeInfo(expression);
                if (SymbolEqualityComparer.Default.Equals(info.ConvertedType, scalar) && !SymbolEqualityComparer.Default.Equals(info.Type, scalar))
                {
                    var line = tree.GetLineSpan(expression.Span).StartLinePosition.Line + 1;
                    offences.Add($"{Path.GetRelativePath(source, tree.FilePath)}:{line}: {expression}");
                }
            }
        }

        offences.Should().BeEmpty("a Scalar made implicitly can be finalized while libtorch reads it; use ScalarOps");
    }

    [Fact]
    public void The_operations_compute_what_their_names_say()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1f, 2f, 4f });
        t.Times(0.5).data<float>().ToArray().Should().Equal(0.5f, 1f, 2f);
        t.Over(2).data<float>().ToArray().Should().Equal(0.5f, 1f, 2f);
        t.Plus(1).data<float>().ToArray().Should().Equal(2f, 3f, 5f);
        t.Minus(1).data<float>().ToArray().Should().Equal(0f, 1f, 3f);
        t.AtLeast(2).data<bool>().ToArray().Should().Equal(false, true, true);
        t.ClampTo(1.5, 3).data<float>().ToArray().Should().Equal(1.5f, 2f, 3f);
        ScalarOps.Range(3, CPU).data<long>().ToArray().Should().Equal(0L, 1L, 2L);
        ScalarOps.Filled([2], -0.25, ScalarType.Float32, CPU).data<float>().ToArray().Should().Equal(-0.25f, -0.25f);
        t.Times(0.5).dtype.Should().Be(ScalarType.Float32, "a number does not promote a float32 tensor");
    }

    private static string FindSourceFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "PvMonitor.Learning");
            if (Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("src/PvMonitor.Learning not found above the test output.");
    }
}
