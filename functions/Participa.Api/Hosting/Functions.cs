using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace Participa.Api.Hosting;

/// <summary>Staff only: the caller needs an Entra ID token satisfying this policy (a role in <see cref="StaffRoles"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class StaffOnlyAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}

/// <summary>A function that takes larger bodies than <see cref="RequestLimitsMiddleware.MaxBodyBytes"/> (a bulk upload), in bytes.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BodyLimitAttribute(int bytes) : Attribute
{
    public int Bytes { get; } = bytes;
}

/// <summary>A stricter rate limit than the global ones, by policy name (<see cref="Http.RateLimits"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RateLimitedAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}

/// <summary>
/// The method behind each function, read once from the worker's function definition (its entry point), so the
/// middleware can honour the attributes declared next to each [Function].
/// </summary>
public sealed class FunctionCatalog
{
    readonly ConcurrentDictionary<string, MethodInfo?> _methods = new();

    public MethodInfo? MethodOf(FunctionDefinition function) =>
        _methods.GetOrAdd(function.Id, _ => Find(function.EntryPoint));

    public T? Attribute<T>(FunctionDefinition function) where T : Attribute => MethodOf(function)?.GetCustomAttribute<T>();

    /// <summary>"Namespace.Type.Method" to the method; function methods are never overloaded.</summary>
    public static MethodInfo? Find(string entryPoint)
    {
        var dot = entryPoint.LastIndexOf('.');
        if (dot < 0) return null;
        var type = typeof(FunctionCatalog).Assembly.GetType(entryPoint[..dot]);
        return type?.GetMethod(entryPoint[(dot + 1)..], BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static);
    }

    /// <summary>Every [Function] method of the app, for the OpenAPI description and the tests that cover each one.</summary>
    public static IEnumerable<(string Name, MethodInfo Method)> All() =>
        typeof(FunctionCatalog).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Attribute: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Attribute is not null)
            .Select(f => (f.Attribute!.Name, f.Method));
}
