using Participa.Domain;
using Participa.Storage;

namespace Participa.Api.Http;

/// <summary>RFC 7807 answers for client mistakes, so no client error ever reaches a 500.</summary>
public static class Problems
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: Messages.TitleValidation);

    public static IResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: Messages.TitleBadRequest);

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: Messages.TitleNotFound);

    public static IResult TooLarge(int limit) =>
        TypedResults.Problem(Localized.Format(Messages.BodyTooLarge, limit), statusCode: StatusCodes.Status413PayloadTooLarge, title: Messages.TitleTooLarge);

    /// <summary>409: the process is not taking this kind of submission now; says when it opens or when it closed.</summary>
    public static IResult Closed(ClosedWindow closed) => TypedResults.Problem(closed.Message,
        statusCode: StatusCodes.Status409Conflict, title: Messages.TitleClosed,
        extensions: new Dictionary<string, object?>
        {
            ["opensAt"] = closed.OpensAt is { } o ? Timestamps.Format(o) : null,
            ["closedAt"] = closed.ClosedAt is { } c ? Timestamps.Format(c) : null,
        });

    public static IResult UnsupportedMediaType(string? contentType) =>
        TypedResults.Problem(Localized.Format(Messages.UnsupportedMediaType, contentType ?? Messages.Nothing),
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: Messages.TitleUnsupportedMediaType);
}
