namespace PvMonitor.Simulation.Conditions;

/// <summary>The weather a condition is recorded in when a campaign schedules it (the paper recorded each class on different days).</summary>
public enum WeatherRequirement
{
    /// <summary>Any non-snow day drawn from the site's climatology (fault experiments).</summary>
    Any,

    /// <summary>A clear-sky day (class N).</summary>
    Clear,

    /// <summary>An overcast or broken-cloud day (class C).</summary>
    Cloudy,

    /// <summary>A day with snow lying on the modules (class S).</summary>
    Snow,
}
