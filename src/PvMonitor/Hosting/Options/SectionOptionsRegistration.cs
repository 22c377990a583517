using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PvMonitor.Monitoring.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>Binds every options class the same way: once, from its section, validated when the host starts.</summary>
public static class SectionOptionsRegistration
{
    /// <summary>
    /// <c>AddOptions&lt;T&gt;().BindConfiguration(T.SectionName).ValidateOnStart()</c>, preceded by a shape check
    /// (<see cref="ConfigurationShape"/>: unknown keys, values of the wrong type) and validated by <paramref name="validator"/>
    /// (default: <see cref="ISectionOptions.Validate"/>). Failures surface as <see cref="OptionsValidationException"/>s whose
    /// messages name the key.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="defaults">Service defaults applied before the section is bound (where they differ from the class's own).</param>
    /// <param name="validator">A validator replacing the default one.</param>
    public static OptionsBuilder<T> AddSectionOptions<T>(this IServiceCollection services, Action<T>? defaults = null, IValidateOptions<T>? validator = null)
        where T : class, ISectionOptions
    {
        services.TryAddEnumerable(validator is null
            ? ServiceDescriptor.Singleton<IValidateOptions<T>, SectionOptionsValidator<T>>()
            : ServiceDescriptor.Singleton(validator));
        var builder = services.AddOptions<T>().Configure<IConfiguration>((_, configuration) =>
        {
            var problems = ConfigurationShape.Check(configuration.GetSection(T.SectionName), typeof(T));
            if (problems.Count > 0) throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(T), problems);
        });
        if (defaults is not null) builder.Configure(defaults);
        return builder.BindConfiguration(T.SectionName, binder => binder.ErrorOnUnknownConfiguration = true).ValidateOnStart();
    }
}

/// <summary>Reports <see cref="ISectionOptions.Validate"/>, optionally rewording each message.</summary>
/// <param name="reword">Applied to each message (e.g. to name the key the user actually set).</param>
public sealed class SectionOptionsValidator<T>(Func<string, string>? reword = null) : IValidateOptions<T> where T : class, ISectionOptions
{
    /// <summary>Without rewording.</summary>
    public SectionOptionsValidator() : this(null)
    {
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var problems = options.Validate();
        if (problems.Count == 0) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(reword is null ? problems : problems.Select(reword));
    }
}
