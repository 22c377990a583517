using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace PvMonitor.Hosting.Options;

/// <summary>
/// Checks a configuration section against the shape of its options class before the binder sees it, so that a misspelt key or a
/// value of the wrong type is reported in our words naming the key (<c>Mqtt:Port: 'abc' is not an integer.</c>,
/// <c>unknown key Mqtt:Hots</c>) rather than in the binder's exception text. Values are converted with the same
/// <see cref="TypeConverter"/>s the binder uses, so whatever passes here binds.
/// </summary>
public static class ConfigurationShape
{
    /// <summary>One message per unknown key or unconvertible value under <paramref name="section"/>, for options type <paramref name="type"/>.</summary>
    public static IReadOnlyList<string> Check(IConfigurationSection section, Type type)
    {
        ArgumentNullException.ThrowIfNull(section);
        var problems = new List<string>();
        CheckNode(section, type, problems);
        return problems;
    }

    private static void CheckNode(IConfigurationSection node, Type type, List<string> problems)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        type = underlying ?? type;
        if (IsScalar(type))
        {
            // An empty value clears a nullable setting (the binder sets null), e.g. --set Ingest:MaxFutureSkew=.
            if (node.Value is { } value && !(value.Length == 0 && underlying is not null)) CheckValue(node.Path, value, type, problems);
            else if (node.GetChildren().Any()) problems.Add($"{node.Path}: expected a single value, not a section.");
            return;
        }

        if (ElementType(type) is { } element)
        {
            // Lists and arrays: children are indices; dictionaries: any key, each value of the element type.
            foreach (var child in node.GetChildren()) CheckNode(child, element, problems);
            return;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && (p.SetMethod?.IsPublic == true || IsCollection(p.PropertyType)))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in node.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
                problems.Add($"unknown key {child.Path} (see the configuration reference in README.md).");
            else CheckNode(child, property.PropertyType, problems);
        }
    }

    private static void CheckValue(string key, string value, Type type, List<string> problems)
    {
        if (value.Length == 0 && (type == typeof(string) || !type.IsValueType)) return;
        var converter = TypeDescriptor.GetConverter(type);
        try
        {
            if (converter.ConvertFromString(null, CultureInfo.InvariantCulture, value) is null && type.IsValueType) throw new FormatException();
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException or InvalidCastException)
        {
            problems.Add($"{key}: '{value}' is not {Describe(type)}.");
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) || type == typeof(uint) || type == typeof(ushort) || type == typeof(short) || type == typeof(byte) => "an integer",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number",
        _ when type == typeof(TimeSpan) => "a duration (hh:mm:ss)",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a valid " + type.Name,
    };

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) ||
        type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid);

    private static bool IsCollection(Type type) => ElementType(type) is not null;

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        if (!typeof(IEnumerable).IsAssignableFrom(type) || type == typeof(string)) return null;
        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
        if (dictionary is not null) return dictionary.GetGenericArguments()[1];
        var enumerable = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
