namespace PvMonitor.Hosting.Options;

/// <summary>An options class bound from one configuration section and validated at start-up.</summary>
public interface IServiceOptions
{
    /// <summary>The configuration section, e.g. <c>Mqtt</c>.</summary>
    static abstract string SectionName { get; }

    /// <summary>Returns one message per invalid value, each naming its full key (e.g. <c>Mqtt:Port</c>).</summary>
    IEnumerable<string> Validate();
}
