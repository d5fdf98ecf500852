using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Participa.Api.Hosting;

namespace Participa.Api.Features.Staff;

/// <summary>The caller as the token says: the staff id (object id), the name, and the app roles it carries.</summary>
public sealed record StaffMeResponse(string Id, string? Name, IReadOnlyList<string> Roles);

public sealed record DevelopmentTokenResponse(string Token, IReadOnlyList<string> Roles, int ExpiresInSeconds);

public sealed class StaffFunctions(IServiceProvider services)
{
    /// <summary>Who the token says the caller is, and their roles (for staff pages and for checking a token).</summary>
    [Function("GetStaffMe"), StaffOnly(StaffRoles.AnyStaff)]
    [EndpointSummary("Who the token says the caller is, with their roles")]
    [ProducesResponseType<StaffMeResponse>(200)]
    public IResult Me([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/staff/me")] HttpRequest request)
    {
        var user = request.HttpContext.User;
        return TypedResults.Ok(new StaffMeResponse(user.StaffId(), user.FindFirst("name")?.Value, StaffRoles.All.Where(user.IsInRole).ToList()));
    }

    /// <summary>Development only: a token for the local API, valid 8 hours (scripts/token.sh). Elsewhere there is no such page.</summary>
    [Function("IssueDevelopmentToken")]
    [EndpointDescription("Development only (scripts/token.sh): a staff token valid 8 hours with the roles asked for as ?role= (repeatable; Participa.Admin by default). Elsewhere 404.")]
    [ProducesResponseType<DevelopmentTokenResponse>(200), ProducesResponseType(400), ProducesResponseType(404)]
    public IResult DevelopmentToken([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dev/token")] HttpRequest request)
    {
        if (services.GetService<LocalTokenIssuer>() is not { } issuer)
            return Http.Problems.NotFound(Messages.NoLocalIssuer);
        string[] roles = request.Query["role"] is { Count: > 0 } asked ? asked.Select(r => r ?? "").ToArray() : [StaffRoles.Admin];
        if (roles.Except(StaffRoles.All).FirstOrDefault() is { } unknown)
            return Http.Problems.BadRequest(Localized.Format(Messages.UnknownRole, unknown, string.Join(", ", StaffRoles.All)));
        return TypedResults.Ok(new DevelopmentTokenResponse(issuer.Mint(roles, "Local developer", TimeSpan.FromHours(8)), roles, 8 * 3600));
    }
}
