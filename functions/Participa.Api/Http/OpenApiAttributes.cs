namespace Participa.Api.Http;

// What a function takes, declared next to it for the OpenAPI description (Features/OpenApi). What it returns is
// declared with ASP.NET Core's [ProducesResponseType]; the problems every function shares are added by the generator.

/// <summary>
/// The JSON body the function reads with <see cref="JsonBody.ReadAsync{T}"/>, and the fields its validation requires
/// (JSON names). Every input field is nullable in C#, so only this list tells a client what it must send.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public class RequestBodyAttribute(Type type, params string[] required) : Attribute
{
    public Type Type { get; } = type;
    public IReadOnlyList<string> Required { get; } = required;
}

/// <inheritdoc />
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestBodyAttribute<T>(params string[] required) : RequestBodyAttribute(typeof(T), required) where T : class;

/// <summary>A body that is a file, not JSON (a CSV upload): its media type and what it holds.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RequestFileAttribute(string mediaType, string description) : Attribute
{
    public string MediaType { get; } = mediaType;
    public string Description { get; } = description;
}

/// <summary>A request header the function reads (Idempotency-Key, If-Match, Participant-Token).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class RequestHeaderAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public bool Required { get; init; }
}
