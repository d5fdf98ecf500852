using System.Security.Cryptography;
using System.Text;
using Participa.Api.Features.Processes;
using Participa.Api.Features.Submitting;
using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Http;

/// <summary>The steps every citizen submission shares: the process must exist and be open, retries are recognised.</summary>
public static class Submissions
{
    /// <summary>
    /// The problem for a submission <see cref="Participation"/> refused. <paramref name="notFound"/> says what was missing
    /// in the caller's words; a stored or replayed one is answered by <see cref="RespondAsync{T}"/>.
    /// </summary>
    public static IResult Refused(Submitted submitted, string processId, Func<string, string>? notFound = null) => submitted switch
    {
        Submitted.NotFound { What: "process" } => ProcessesApi.NotFound(processId),
        Submitted.NotFound missing => Problems.NotFound(notFound?.Invoke(missing.What) ?? Localized.Format(Messages.NoSuchInProcess, missing.What, processId)),
        Submitted.Closed closed => Problems.Closed(closed.Window),
        Submitted.Superseded s => TypedResults.Problem(Localized.Format(Messages.SupersededVersion, s.Version, s.Latest),
            statusCode: StatusCodes.Status409Conflict, title: Messages.TitleSupersededVersion),
        Submitted.Invalid invalid => Problems.Validation(invalid.Errors.ToDictionary()),
        Submitted.Conflict conflict => TypedResults.Problem(conflict.Message, statusCode: StatusCodes.Status409Conflict, title: Messages.TitleMeetingState),
        _ => throw new ArgumentException("A written submission is answered by RespondAsync.", nameof(submitted)),
    };

    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The process, if it exists and a phase accepting <paramref name="kind"/> is open now; else 404 or 409.</summary>
    public static async Task<(Process? Process, IResult? Problem)> OpenProcessAsync(
        ProcessStore processes, string processId, SubmissionKind kind, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ProcessesApi.FindAsync(processes, processId, cancellationToken) is not { } process)
            return (null, ProcessesApi.NotFound(processId));
        if (process.CheckOpen(kind, clock.GetUtcNow()) is { } closed)
            return (null, Problems.Closed(closed));
        return (process, null);
    }

    /// <summary>
    /// The client's Idempotency-Key (optional; 1-128 visible ASCII characters), scoped to this method and path so one
    /// key cannot collide across endpoints, and paired with the body's hash to tell a retry from a different request.
    /// </summary>
    public static (IdempotencyKey? Key, IResult? Problem) ReadIdempotencyKey(HttpRequest request, string bodySha256)
    {
        if (!request.Headers.TryGetValue(IdempotencyHeader, out var values)) return (null, null);
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > 128 || key.Any(c => c is < '!' or > '~'))
            return (null, Problems.Validation(new Dictionary<string, string[]>
            {
                [IdempotencyHeader] = [Messages.IdempotencyKeyFormat],
            }));
        var scoped = SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n{key}"));
        return (new IdempotencyKey(Convert.ToHexStringLower(scoped), bodySha256), null);
    }

    /// <summary>
    /// Turns a write's outcome into the answer: 201 for a new item; for a retry with the same key and body, the first
    /// answer again (re-read from storage) marked Idempotent-Replayed; 422 when the key was used for another request.
    /// </summary>
    public static async Task<IResult> RespondAsync<T>(WriteOutcome outcome, HttpResponse response, string location, T created, Func<string, Task<(string Location, T Item)?>> reread)
    {
        switch (outcome)
        {
            case WriteOutcome.Stored:
                return TypedResults.Created(location, created);
            case WriteOutcome.Replayed { SameRequest: false }:
                return TypedResults.Problem(Messages.IdempotencyKeyReused,
                    statusCode: StatusCodes.Status422UnprocessableEntity, title: Messages.TitleIdempotencyKeyReused);
            case WriteOutcome.Replayed replayed:
                response.Headers["Idempotent-Replayed"] = "true";
                return await reread(replayed.ItemId) is { } first
                    ? TypedResults.Created(first.Location, first.Item)
                    : TypedResults.Problem(Messages.ReplayNoLongerPublic,
                        statusCode: StatusCodes.Status409Conflict, title: Messages.TitleAlreadySubmitted);
            default:
                return TypedResults.Problem(Messages.AlreadySubmitted, statusCode: StatusCodes.Status409Conflict, title: Messages.TitleAlreadySubmitted);
        }
    }
}

/// <summary>What every public item shows of its participant: nothing private, nothing only meant for statistics.</summary>
public sealed record ParticipantView(string? Department, string? Municipality, string? Sector, string? Name, string? Organisation)
{
    public static ParticipantView From(Participant p) => new(p.Department, p.Municipality, p.Sector, p.PublicName, p.PublicOrganisation);
}

public sealed record ReceiptView(string Id, string Sha256, string Url)
{
    /// <summary>The secret the author needs to appeal: only in the answer to the submission (and its replays), never when the item is read.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? AppealCode { get; init; }

    public static ReceiptView For(string processId, string id, string sha256) => new(id, sha256, $"/api/processes/{processId}/receipts/{id}");
}
