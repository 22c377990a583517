namespace PvMonitor.Simulation.Weather;

/// <summary>The weather plan of one day at the plant.</summary>
/// <param name="Date">The (UTC) date.</param>
/// <param name="Sky">Sky regime.</param>
/// <param name="Snow">Snow lying on the modules, or null.</param>
/// <param name="Snowfall">True on the day snow falls (overcast, cold, dim).</param>
public sealed record DayPlan(DateOnly Date, SkyRegime Sky, SnowCover? Snow = null, bool Snowfall = false)
{
    /// <summary>True when snow lies on the modules or falls.</summary>
    public bool Snowy => Snow is not null || Snowfall;
}
