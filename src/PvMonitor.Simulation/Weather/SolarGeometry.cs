namespace PvMonitor.Simulation.Weather;

/// <summary>Sun position (NOAA / Spencer series, ±0.1° for this purpose), clear-sky irradiance (Ineichen–Perez), decomposition (Erbs) and transposition (Hay–Davies).</summary>
public static class SolarGeometry
{
    private const double Deg = Math.PI / 180;

    /// <summary>Solar zenith and azimuth (degrees, azimuth clockwise from north) and extraterrestrial normal irradiance (W/m²) at a UTC time.</summary>
    public static (double Zenith, double Azimuth, double ExtraterrestrialNormal) Position(DateTimeOffset utc, double latitude, double longitude)
    {
        var t = utc.UtcDateTime;
        var minutes = t.Hour * 60 + t.Minute + t.Second / 60.0;
        var gamma = 2 * Math.PI / (DateTime.IsLeapYear(t.Year) ? 366 : 365) * (t.DayOfYear - 1 + (minutes / 60 - 12) / 24);
        var eqTime = 229.18 * (0.000075 + 0.001868 * Math.Cos(gamma) - 0.032077 * Math.Sin(gamma) - 0.014615 * Math.Cos(2 * gamma) - 0.040849 * Math.Sin(2 * gamma));
        var decl = 0.006918 - 0.399912 * Math.Cos(gamma) + 0.070257 * Math.Sin(gamma) - 0.006758 * Math.Cos(2 * gamma)
                   + 0.000907 * Math.Sin(2 * gamma) - 0.002697 * Math.Cos(3 * gamma) + 0.00148 * Math.Sin(3 * gamma);
        var e0 = 1361 * (1.00011 + 0.034221 * Math.Cos(gamma) + 0.00128 * Math.Sin(gamma) + 0.000719 * Math.Cos(2 * gamma) + 0.000077 * Math.Sin(2 * gamma));
        var trueSolarMinutes = minutes + eqTime + 4 * longitude;
        var hourAngle = (trueSolarMinutes / 4 - 180) * Deg;
        var lat = latitude * Deg;
        var cosZ = Math.Sin(lat) * Math.Sin(decl) + Math.Cos(lat) * Math.Cos(decl) * Math.Cos(hourAngle);
        cosZ = Math.Clamp(cosZ, -1, 1);
        var zenith = Math.Acos(cosZ);
        // Azimuth from south (west positive), then turned to "clockwise from north".
        var azimuth = Math.Atan2(Math.Sin(hourAngle), Math.Cos(hourAngle) * Math.Sin(lat) - Math.Tan(decl) * Math.Cos(lat)) / Deg + 180;
        return (zenith / Deg, azimuth, e0);
    }

    /// <summary>Clear-sky global horizontal, direct normal and diffuse horizontal irradiance (Ineichen–Perez), W/m².</summary>
    public static (double Ghi, double Dni, double Dhi) ClearSky(double zenith, double extraterrestrialNormal, double linkeTurbidity, double altitude)
    {
        if (zenith >= 90) return (0, 0, 0);
        var cosZ = Math.Cos(zenith * Deg);
        var am = 1 / (cosZ + 0.50572 * Math.Pow(96.07995 - zenith, -1.6364)); // Kasten–Young
        var fh1 = Math.Exp(-altitude / 8000);
        var fh2 = Math.Exp(-altitude / 1250);
        var cg1 = 5.09e-5 * altitude + 0.868;
        var cg2 = 3.92e-5 * altitude + 0.0387;
        var ghi = cg1 * extraterrestrialNormal * cosZ * Math.Exp(-cg2 * am * (fh1 + fh2 * (linkeTurbidity - 1))) * Math.Exp(0.01 * Math.Pow(am, 1.8));
        var b = 0.664 + 0.163 / fh1;
        var dni = Math.Min(b * extraterrestrialNormal * Math.Exp(-0.09 * am * (linkeTurbidity - 1)), ghi / Math.Max(cosZ, 0.01));
        ghi = Math.Max(ghi, 0);
        var dhi = Math.Max(ghi - dni * cosZ, 0);
        return (ghi, dni, dhi);
    }

    /// <summary>Diffuse fraction of global irradiance from the clearness index (Erbs et al., 1982).</summary>
    public static double ErbsDiffuseFraction(double clearnessIndex)
    {
        var kt = clearnessIndex;
        if (kt <= 0.22) return 1 - 0.09 * kt;
        if (kt <= 0.8) return 0.9511 - 0.1604 * kt + 4.388 * kt * kt - 16.638 * kt * kt * kt + 12.336 * kt * kt * kt * kt;
        return 0.165;
    }

    /// <summary>Cosine of the angle of incidence of the beam on a plane.</summary>
    public static double CosIncidence(double zenith, double azimuth, double tilt, double planeAzimuth)
    {
        var z = zenith * Deg;
        var b = tilt * Deg;
        return Math.Cos(z) * Math.Cos(b) + Math.Sin(z) * Math.Sin(b) * Math.Cos((azimuth - planeAzimuth) * Deg);
    }

    /// <summary>Plane-of-array beam, sky-diffuse and ground-reflected irradiance (Hay–Davies sky model), W/m².</summary>
    public static (double Beam, double SkyDiffuse, double Ground) HayDavies(double ghi, double dni, double dhi, double zenith, double cosIncidence, double extraterrestrialNormal, double tilt, double albedo)
    {
        var cosZ = Math.Max(Math.Cos(zenith * Deg), 0.0872); // floor at 85° to keep Rb bounded
        var beam = dni * Math.Max(cosIncidence, 0);
        var ai = extraterrestrialNormal > 0 ? Math.Clamp(dni / extraterrestrialNormal, 0, 1) : 0;
        var rb = Math.Max(cosIncidence, 0) / cosZ;
        var b = tilt * Deg;
        var sky = dhi * (ai * rb + (1 - ai) * (1 + Math.Cos(b)) / 2);
        var ground = ghi * albedo * (1 - Math.Cos(b)) / 2;
        return (beam, Math.Max(sky, 0), Math.Max(ground, 0));
    }

    /// <summary>ASHRAE incidence-angle modifier for the beam (b0 = 0.05): the share of beam light that enters the cell.</summary>
    public static double IncidenceAngleModifier(double cosIncidence)
    {
        if (cosIncidence <= 0.05) return 0;
        return Math.Max(0, 1 - 0.05 * (1 / cosIncidence - 1));
    }
}
