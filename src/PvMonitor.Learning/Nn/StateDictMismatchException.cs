namespace PvMonitor.Learning.Nn;

/// <summary>A state dict does not fit a module (missing, unexpected or differently shaped entries). Nothing was loaded.</summary>
public sealed class StateDictMismatchException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public StateDictMismatchException(IReadOnlyList<string> problems)
        : base("State does not fit the model (nothing was loaded): " + string.Join("; ", problems))
    {
        Problems = problems;
    }

    /// <summary>One line per problem.</summary>
    public IReadOnlyList<string> Problems { get; }
}
