using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;
using Participa.LocalHost.Rpc;

namespace Participa.LocalHost;

/// <summary>How a function is triggered.</summary>
public enum FunctionKind
{
    Http,
    Timer,
    Other,
}

/// <summary>A function as the worker indexed it, with what the host derived from its trigger binding.</summary>
public sealed partial class HostedFunction
{
    public required string Name { get; init; }

    /// <summary>The function_id the worker assigned; invocations carry it.</summary>
    public required string Id { get; init; }

    public required FunctionKind Kind { get; init; }

    /// <summary>The trigger binding's type as written, e.g. httpTrigger, timerTrigger, queueTrigger.</summary>
    public required string TriggerType { get; init; }

    /// <summary>The trigger binding's name: the invocation's input carries the trigger data under it.</summary>
    public required string TriggerBindingName { get; init; }

    /// <summary>HTTP only: the full route template with host.json's routePrefix applied, without a leading slash.</summary>
    public string? Route { get; init; }

    /// <summary>HTTP only: allowed methods in upper case; empty means any method.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Timer only: the schedule as written in the binding, e.g. %PublishSchedule%.</summary>
    public string? Schedule { get; init; }

    /// <summary>Timer only: the schedule after resolving %Name% from the settings; null when it does not resolve.</summary>
    public string? ResolvedSchedule { get; init; }

    /// <summary>Timer only: the binding asks for a run when the host starts.</summary>
    public bool RunOnStartup { get; init; }

    /// <summary>Why the host cannot serve this function on its trigger (it can still be invoked directly when not HTTP).</summary>
    public string? Error { get; init; }

    /// <summary>The bindings as JSON, as the worker reported them.</summary>
    public IReadOnlyList<string> RawBindings { get; init; } = [];

    internal RpcFunctionMetadata Metadata { get; init; } = new();

    public override string ToString() => Kind switch
    {
        FunctionKind.Http => $"{Name}: [{(Methods.Count == 0 ? "ANY" : string.Join(',', Methods))}] /{Route}",
        FunctionKind.Timer => $"{Name}: timerTrigger {ResolvedSchedule ?? "(unresolved)"}{(Schedule != ResolvedSchedule ? $" ({Schedule})" : "")}",
        _ => $"{Name}: {TriggerType}",
    };

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();

    /// <summary>Reads the trigger from the worker's raw bindings, the way the host derives routes and schedules.</summary>
    internal static HostedFunction FromMetadata(RpcFunctionMetadata metadata, string routePrefix, Func<string, string?> setting)
    {
        var bindings = metadata.RawBindings.ToList();
        JsonElement? trigger = null;
        foreach (var raw in bindings)
        {
            var binding = JsonDocument.Parse(raw).RootElement;
            if (Text(binding, "type")?.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) == true)
            {
                trigger = binding;
                break;
            }
        }

        if (trigger is not { } t)
        {
            return new HostedFunction
            {
                Name = metadata.Name, Id = metadata.FunctionId, Kind = FunctionKind.Other, TriggerType = "", TriggerBindingName = "",
                RawBindings = bindings, Metadata = metadata, Error = "The function has no trigger binding.",
            };
        }

        var type = Text(t, "type")!;
        var name = Text(t, "name") ?? "";
        if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var route = JoinRoute(routePrefix, Text(t, "route") ?? metadata.Name);
            var methods = Property(t, "methods") is { ValueKind: JsonValueKind.Array } m
                ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToArray()
                : [];
            string? error = null;
            try
            {
                RoutePatternFactory.Parse(route);
            }
            catch (RoutePatternException e)
            {
                error = $"The route '{route}' is not a valid route template: {e.Message}";
            }

            // The real host rejects routes that collide with its built-in admin API.
            if (route.Equals("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("admin/", StringComparison.OrdinalIgnoreCase))
            {
                error = $"The route '{route}' conflicts with the host's built-in admin routes.";
            }

            return new HostedFunction
            {
                Name = metadata.Name, Id = metadata.FunctionId, Kind = FunctionKind.Http, TriggerType = type, TriggerBindingName = name,
                Route = route, Methods = methods, RawBindings = bindings, Metadata = metadata,
                Error = error,
            };
        }

        if (type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var schedule = Text(t, "schedule") ?? "";
            var missing = new List<string>();
            var resolved = SettingReference().Replace(schedule, x => setting(x.Groups[1].Value) ?? Missing(missing, x.Groups[1].Value));
            string? error = missing.Count > 0
                ? $"The schedule '{schedule}' refers to app setting(s) that are not set: {string.Join(", ", missing)}."
                : TimerSchedule.TryParse(resolved, out _, out var parseError) ? null : parseError;
            return new HostedFunction
            {
                Name = metadata.Name, Id = metadata.FunctionId, Kind = FunctionKind.Timer, TriggerType = type, TriggerBindingName = name,
                Schedule = schedule, ResolvedSchedule = missing.Count > 0 ? null : resolved,
                RunOnStartup = Property(t, "runOnStartup") is { ValueKind: JsonValueKind.True },
                RawBindings = bindings, Metadata = metadata, Error = error,
            };
        }

        return new HostedFunction
        {
            Name = metadata.Name, Id = metadata.FunctionId, Kind = FunctionKind.Other, TriggerType = type, TriggerBindingName = name,
            RawBindings = bindings, Metadata = metadata,
        };
    }

    internal static string JoinRoute(string prefix, string route)
    {
        prefix = prefix.Trim('/');
        route = route.Trim('/');
        return prefix.Length == 0 ? route : route.Length == 0 ? prefix : $"{prefix}/{route}";
    }

    private static string Missing(List<string> missing, string name)
    {
        missing.Add(name);
        return "";
    }

    private static string? Text(JsonElement element, string property) =>
        Property(element, property) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    /// <summary>A property looked up case-insensitively, as the host reads bindings and host.json.</summary>
    internal static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }
        }

        return null;
    }
}

/// <summary>The result of one invocation as the worker reported it in its InvocationResponse.</summary>
public sealed record InvocationOutcome(string FunctionName, string InvocationId, bool Succeeded, string? Error, TimeSpan Duration)
{
    /// <summary>The log lines the worker sent for this invocation, in order.</summary>
    public IReadOnlyList<string> Logs { get; init; } = [];

    /// <summary>The log lines as one text.</summary>
    public string Log => string.Join(Environment.NewLine, Logs);

    public override string ToString() => Succeeded
        ? $"Executed '{FunctionName}' (Succeeded, Id={InvocationId}, Duration={Duration.TotalMilliseconds:0}ms)"
        : $"Executed '{FunctionName}' (Failed, Id={InvocationId}, Duration={Duration.TotalMilliseconds:0}ms): {Error}";
}
