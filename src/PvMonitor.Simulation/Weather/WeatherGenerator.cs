using PvMonitor.Simulation.Randomness;

namespace PvMonitor.Simulation.Weather;

/// <summary>
/// Generates a plant's weather minute by minute: sun position, clear-sky irradiance (Ineichen), a stochastic clear-sky index with
/// persistence for the day's sky regime, Erbs decomposition, Hay–Davies transposition, a diurnal air temperature around a
/// climatological mean with day-to-day anomalies, gusty wind, module temperature by Faiman's model with thermal lag, and snow.
/// Each day depends only on the seed, the date and its plan, so days can be generated in any order, in parallel.
/// </summary>
public sealed class WeatherGenerator
{
    private const int PurposeDay = 11;
    private const int PurposeAnomaly = 12;
    private const double FaimanU0 = 25; // W/(m²·K)
    private const double FaimanU1 = 6.84; // W·s/(m³·K)
    private const double ThermalTimeConstant = 7; // minutes
    private readonly SiteOptions _site;
    private readonly long _seed;

    /// <summary>Creates a generator for a site and seed.</summary>
    public WeatherGenerator(SiteOptions site, long seed)
    {
        ArgumentNullException.ThrowIfNull(site);
        site.Validate();
        _site = site;
        _seed = seed;
    }

    /// <summary>The site.</summary>
    public SiteOptions Site => _site;

    /// <summary>Draws a sky regime for a day from the site's climatology (Denmark: ≈25 % clear, 40 % mixed, 35 % overcast, cloudier in winter).</summary>
    public static SkyRegime ClimatologicalSky(SeededRandom random, DateOnly date)
    {
        var winter = Math.Cos(2 * Math.PI * (date.DayOfYear - 15) / 365.25); // 1 mid-January, −1 mid-July
        var pClear = 0.25 - 0.07 * winter;
        var pOvercast = 0.35 + 0.1 * winter;
        var u = random.NextDouble();
        return u < pClear ? SkyRegime.Clear : u < pClear + pOvercast ? SkyRegime.Overcast : SkyRegime.Mixed;
    }

    /// <summary>Generates the day described by <paramref name="plan"/>.</summary>
    public WeatherDay Generate(DayPlan plan)
    {
        var day = new WeatherDay(plan);
        var dayNumber = plan.Date.DayNumber;
        var rng = SeededRandom.Derive(_seed, dayNumber, PurposeDay);
        var site = _site;
        var start = new DateTimeOffset(plan.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Day-level parameters.
        var season = Math.Cos(2 * Math.PI * (plan.Date.DayOfYear - 196) / 365.25); // 1 in summer, −1 in winter
        var mean = ClimateMean(plan.Date) + Anomaly(dayNumber);
        var amplitude = plan.Sky switch
        {
            SkyRegime.Clear => 3.2 + 1.3 * season,
            SkyRegime.Mixed => 2.2 + 0.8 * season,
            _ => 0.9,
        } * rng.Uniform(0.8, 1.2);
        mean += plan.Sky switch { SkyRegime.Clear => 1.2 * season - 0.8, SkyRegime.Overcast => -0.6 * season + 0.4, _ => 0 };
        if (plan.Snowy) mean = Math.Min(mean, rng.Gaussian(-2.8, 1.6));
        mean = plan.Snowy ? Math.Min(mean, 0.3) : mean;
        var windScale = plan.Sky switch { SkyRegime.Clear => 0.75, SkyRegime.Mixed => 1.0, _ => 1.15 } * (plan.Snowfall ? 1.25 : 1);
        var dayWind = site.MeanWindSpeed * windScale * Math.Sqrt(-Math.Log(1 - rng.NextDouble() * 0.999)) / 0.886;
        dayWind = Math.Clamp(dayWind, 0.3, 18);
        var turbidity = site.LinkeTurbidity + rng.Uniform(-0.5, 0.8);
        var overcastLevel = plan.Snowfall ? rng.Uniform(0.08, 0.28) : rng.Uniform(0.13, 0.48);
        var cloudFraction = rng.Uniform(0.2, 0.6);
        var albedo = plan.Snowy ? 0.7 : site.Albedo;

        // Snow on the modules: depth melts linearly over the daylight hours.
        var snow = plan.Snow;
        var sensorTransmittance = snow?.SensorTransmittance ?? 1;

        double arCloud = 0, arTemp = 0, arWind = 0, kcSmooth = plan.Sky == SkyRegime.Clear ? 1 : overcastLevel;
        var cloudy = rng.Chance(cloudFraction);
        var cloudKc = rng.Uniform(0.15, 0.5);
        var tMod = double.NaN;
        var aCloud = Math.Exp(-1.0 / 25);
        var aTemp = Math.Exp(-1.0 / 45);
        var aWind = Math.Exp(-1.0 / 3);
        var aCell = Math.Exp(-1.0 / 12);
        var arCell = 0.0;
        var meanCloudMinutes = 14.0;
        var meanClearMinutes = meanCloudMinutes * (1 - cloudFraction) / cloudFraction;

        for (var m = 0; m < WeatherDay.Minutes; m++)
        {
            var t = start.AddMinutes(m);
            var (zenith, azimuth, e0) = SolarGeometry.Position(t, site.Latitude, site.Longitude);
            var elevation = 90 - zenith;
            day.SunElevation[m] = elevation;
            var solarHour = (m / 60.0 + site.Longitude / 15 + 24) % 24;

            // Cloud process: clear-sky index kc with persistence.
            arCloud = aCloud * arCloud + Math.Sqrt(1 - aCloud * aCloud) * rng.Gaussian();
            double kc;
            switch (plan.Sky)
            {
                case SkyRegime.Clear:
                    kc = 1 + 0.012 * arCloud;
                    break;
                case SkyRegime.Overcast:
                    kc = Math.Clamp(overcastLevel * Math.Exp(0.28 * arCloud), 0.04, 0.75);
                    break;
                default:
                    if (cloudy ? rng.Chance(1 / meanCloudMinutes) : rng.Chance(1 / meanClearMinutes))
                    {
                        cloudy = !cloudy;
                        if (cloudy) cloudKc = rng.Uniform(0.15, 0.55);
                    }

                    var target = cloudy ? cloudKc * Math.Exp(0.15 * arCloud) : 1.03 + 0.04 * arCloud;
                    kcSmooth += 0.45 * (target - kcSmooth);
                    kc = kcSmooth;
                    break;
            }

            double beamPoa = 0, skyPoa = 0, groundPoa = 0, cosInc = 0;
            if (zenith < 90)
            {
                var (ghiCs, dniCs, dhiCs) = SolarGeometry.ClearSky(zenith, e0, turbidity, site.Altitude);
                double ghi, dni, dhi;
                if (plan.Sky == SkyRegime.Clear || (plan.Sky == SkyRegime.Mixed && kc > 0.85))
                {
                    ghi = ghiCs * kc;
                    dni = dniCs * Math.Min(kc, 1.0);
                    dhi = Math.Max(ghi - dni * Math.Cos(zenith * Math.PI / 180), 0);
                }
                else
                {
                    ghi = ghiCs * kc;
                    var cosZ = Math.Max(Math.Cos(zenith * Math.PI / 180), 0.01);
                    var kt = e0 * cosZ > 0 ? ghi / (e0 * cosZ) : 0;
                    dhi = ghi * SolarGeometry.ErbsDiffuseFraction(kt);
                    dni = Math.Max(ghi - dhi, 0) / cosZ;
                    if (plan.Sky == SkyRegime.Overcast) { dhi = ghi; dni = 0; }
                }

                cosInc = SolarGeometry.CosIncidence(zenith, azimuth, site.Tilt, site.Azimuth);
                (beamPoa, skyPoa, groundPoa) = SolarGeometry.HayDavies(ghi, dni, dhi, zenith, cosInc, e0, site.Tilt, albedo);
            }

            var poa = beamPoa + skyPoa + groundPoa;
            var beamEff = beamPoa * SolarGeometry.IncidenceAngleModifier(cosInc);
            day.Poa[m] = poa;
            day.EffectiveBeam[m] = beamEff;
            day.Effective[m] = beamEff + 0.95 * (skyPoa + groundPoa);
            // The logger averages the irradiance sensor over the minute while the inverter samples I and V at its end.
            day.PoaAtSensor[m] = (m > 0 ? 0.5 * (poa + day.Poa[m - 1]) : poa) * sensorTransmittance;

            // Air temperature: diurnal cycle peaking mid-afternoon, plus slow fluctuations.
            arTemp = aTemp * arTemp + Math.Sqrt(1 - aTemp * aTemp) * rng.Gaussian();
            var air = mean + amplitude * Math.Cos(2 * Math.PI * (solarHour - 14.5) / 24) + 0.35 * arTemp;
            day.AirTemperature[m] = air;

            // Wind: stronger in the afternoon, gusty.
            arWind = aWind * arWind + Math.Sqrt(1 - aWind * aWind) * rng.Gaussian();
            var wind = dayWind * (1 + 0.25 * Math.Sin(2 * Math.PI * (solarHour - 8) / 24)) * Math.Exp(0.35 * arWind - 0.06);
            day.Wind[m] = Math.Max(0, wind);

            // Snow transmittance on covered cells.
            double snowT = 1;
            if (snow is not null)
            {
                var f = elevation <= 0 ? (solarHour < 12 ? 0 : 1) : Math.Clamp((solarHour - 6) / 12, 0, 1);
                snowT = SnowCover.Transmittance(snow.DepthAtSunrise + (snow.DepthAtSunset - snow.DepthAtSunrise) * f);
            }

            day.SnowTransmittance[m] = snowT;

            // Module temperature: Faiman steady state with first-order lag; radiative cooling under clear night skies;
            // a module under snow stays near 0 °C.
            var absorbed = 0.9 * day.Effective[m] * (snow is not null ? 0.35 + 0.65 * snowT : 1);
            var steady = air + absorbed / (FaimanU0 + FaimanU1 * day.Wind[m]) - (poa < 20 ? (1 - Math.Min(kc, 1)) * 0.5 + (plan.Sky == SkyRegime.Clear ? 2.0 : 0.4) : 0);
            tMod = double.IsNaN(tMod) ? steady : steady + (tMod - steady) * Math.Exp(-1 / ThermalTimeConstant);
            if (snow is not null && tMod > 0.4) tMod = 0.4;
            day.ModuleTemperature[m] = tMod;
            arCell = aCell * arCell + Math.Sqrt(1 - aCell * aCell) * rng.Gaussian();
            day.CellTemperature[m] = tMod + 3 * day.Effective[m] / 1000 + 1.2 * arCell;
        }

        return day;
    }

    private double ClimateMean(DateOnly date)
    {
        // Interpolate the monthly normals (assigned to mid-month) by day of year.
        var t = _site.MonthlyMeanTemperature;
        var pos = (date.DayOfYear - 15.2) / 30.44; // 0 = mid-January
        var i0 = (int)Math.Floor(pos);
        var frac = pos - i0;
        var a = t[((i0 % 12) + 12) % 12];
        var b = t[(((i0 + 1) % 12) + 12) % 12];
        return a + (b - a) * frac;
    }

    private double Anomaly(int dayNumber)
    {
        // Day-to-day temperature anomaly, °C: a moving average of daily shocks (persistence over a few days, random access by date).
        ReadOnlySpan<double> w = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1];
        double sum = 0, norm = 0;
        for (var k = 0; k < w.Length; k++)
        {
            sum += w[k] * SeededRandom.Derive(_seed, dayNumber - k, PurposeAnomaly).Gaussian();
            norm += w[k] * w[k];
        }

        return 2.0 * sum / Math.Sqrt(norm);
    }
}
