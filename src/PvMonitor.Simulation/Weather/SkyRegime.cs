namespace PvMonitor.Simulation.Weather;

/// <summary>The character of a day's sky, which drives the cloud process.</summary>
public enum SkyRegime
{
    /// <summary>Cloudless: clear-sky index ≈ 1 all day.</summary>
    Clear,

    /// <summary>Broken clouds: clear spells and cloud passages of minutes to tens of minutes.</summary>
    Mixed,

    /// <summary>Overcast: diffuse light only, clear-sky index 0.1–0.5 varying slowly.</summary>
    Overcast,
}
