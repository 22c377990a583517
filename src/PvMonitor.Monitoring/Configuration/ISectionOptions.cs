namespace PvMonitor.Monitoring.Configuration;

/// <summary>
/// An options class bound from one configuration section and validated when the worker starts. One convention for every
/// section: the host binds it once (<c>AddOptions&lt;T&gt;().BindConfiguration(T.SectionName).ValidateOnStart()</c>) and reports
/// what <see cref="Validate"/> returns as a configuration error (exit code 2).
/// </summary>
public interface ISectionOptions
{
    /// <summary>The configuration section, e.g. <c>Mqtt</c>.</summary>
    static abstract string SectionName { get; }

    /// <summary>One message per invalid value, each naming its full key (e.g. <c>Mqtt:Port</c>); empty when valid.</summary>
    IReadOnlyList<string> Validate();
}
