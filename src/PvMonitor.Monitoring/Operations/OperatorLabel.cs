namespace PvMonitor.Monitoring.Operations;

/// <summary>An operator's statement that a string (or every string of a plant) was in a condition during [From, To).</summary>
/// <param name="Id">Assigned by the store.</param>
/// <param name="Plant">Plant id.</param>
/// <param name="String">String id within the plant, or <see cref="AllStrings"/> for every string of the plant.</param>
/// <param name="From">Start (UTC, inclusive).</param>
/// <param name="To">End (UTC, exclusive).</param>
/// <param name="Condition">A code of the condition catalog.</param>
/// <param name="Note">Free text (may be empty).</param>
/// <param name="Author">Who labelled it (the API token's name).</param>
/// <param name="Created">When (UTC).</param>
public sealed record OperatorLabel(long Id, string Plant, string String, DateTimeOffset From, DateTimeOffset To, string Condition, string Note, string Author, DateTimeOffset Created)
{
    /// <summary>The <see cref="String"/> value meaning every string of the plant.</summary>
    public const string AllStrings = "*";

    /// <summary>True when this label and a label of <paramref name="plant"/>/<paramref name="str"/> over [<paramref name="from"/>, <paramref name="to"/>) cover a common string and instant.</summary>
    public bool Overlaps(string plant, string str, DateTimeOffset from, DateTimeOffset to) =>
        string.Equals(Plant, plant, StringComparison.Ordinal) &&
        (String == AllStrings || str == AllStrings || string.Equals(String, str, StringComparison.Ordinal)) &&
        From < to && from < To;
}
