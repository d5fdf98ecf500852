using System.Net;
using System.Text.RegularExpressions;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Hosting;

/// <summary>
/// Every HTTP function the worker loaded x every kind of caller. A function missing from <see cref="Matrix"/> fails the
/// test, so no function ships without someone deciding who may call it.
/// </summary>
public class AuthorizationMatrixTests
{
    const string Public = "public";

    /// <summary>Endpoint name -> who may call it: <see cref="Public"/>, a role, or <see cref="StaffRoles.AnyStaff"/>.</summary>
    static readonly Dictionary<string, string> Matrix = new()
    {
        ["ListProcesses"] = Public,
        ["GetProcess"] = Public,
        ["SubmitProposal"] = Public,
        ["ListProposals"] = Public,
        ["GetProposal"] = Public,
        ["SupportProposal"] = Public,
        ["ListDocuments"] = Public,
        ["GetDocument"] = Public,
        ["GetDocumentVersion"] = Public,
        ["CommentOnDocument"] = Public,
        ["ListDocumentComments"] = Public,
        ["CommentOnSection"] = Public,
        ["ListSectionComments"] = Public,
        ["CommentOnProposal"] = Public,
        ["ListProposalComments"] = Public,
        ["GetCommentThread"] = Public,
        ["ReplyToComment"] = Public,
        ["SubmitOpinion"] = Public,
        ["ListOpinions"] = Public,
        ["GetOpinion"] = Public,
        ["GetReceipt"] = Public,
        ["CreateParticipant"] = Public,
        ["GetStaffMe"] = StaffRoles.AnyStaff,
        ["GetLedgerProof"] = Public,
        ["GetProcessSummary"] = Public,
        ["GetThemeSummary"] = Public,
        ["GetRoundtableSummary"] = Public,
        ["CreateProcess"] = StaffRoles.Admin,
        ["GetProcessForEdit"] = StaffRoles.Admin,
        ["ReplaceProcess"] = StaffRoles.Admin,
        ["CreateDocument"] = StaffRoles.Admin,
        ["GetDocumentForEdit"] = StaffRoles.Admin,
        ["ReplaceDocumentDetails"] = StaffRoles.Admin,
        ["PublishDocumentVersion"] = StaffRoles.Admin,
        ["ReportItem"] = Public,
        ["AppealReceipt"] = Public,
        ["GetModerationLog"] = Public,
        ["ListModerationQueue"] = StaffRoles.Moderator,
        ["GetModerationItem"] = StaffRoles.Moderator,
        ["DecideModeration"] = StaffRoles.Moderator,
        ["ListMeetings"] = Public,
        ["GetMeeting"] = Public,
        ["ListMeetingProposals"] = Public,
        ["CreateMeeting"] = StaffRoles.Facilitator,
        ["EditMeeting"] = StaffRoles.Facilitator,
        ["ChangeMeetingStatus"] = StaffRoles.Facilitator,
        ["SetMeetingMinutes"] = StaffRoles.Facilitator,
        ["RegisterAttendance"] = StaffRoles.Facilitator,
        ["ListAttendance"] = StaffRoles.Facilitator,
        ["RemoveAttendee"] = StaffRoles.Facilitator,
        ["RecordMeetingProposal"] = StaffRoles.Facilitator,
        ["SetProposalOutcome"] = StaffRoles.AdminOrFacilitator,
        ["ImportBulkEntries"] = StaffRoles.AdminOrFacilitator,
        ["ImportMeetingBulkEntries"] = StaffRoles.AdminOrFacilitator,
        ["GetBulkEntryTemplate"] = StaffRoles.AdminOrFacilitator,
        ["TraceProposal"] = Public,
        ["GetProposalFunnel"] = Public,
        ["ListReviewQueue"] = StaffRoles.CongressStaff,
        ["GetReviewOpinion"] = StaffRoles.CongressStaff,
        ["UpdateReviewOpinion"] = StaffRoles.CongressStaff,
        ["ListCampaigns"] = StaffRoles.CongressStaff,
        ["MarkCampaignReviewed"] = StaffRoles.CongressStaff,
        ["PublishOfficialResponse"] = StaffRoles.CongressStaff,
        ["ExportReviewedOpinions"] = StaffRoles.CongressStaff,
        ["GetOfficialResponse"] = Public,
        ["IssueDevelopmentToken"] = Public,
        ["GetOpenDataFile"] = Public,
        ["GetOpenApiDocument"] = Public,
        ["GetApiReference"] = Public,
        // The citizens' web pages.
        ["HomePage"] = Public,
        ["ChooseLanguage"] = Public,
        ["GetAsset"] = Public,
        ["ProcessPage"] = Public,
        ["ProposalForm"] = Public,
        ["SubmitProposalForm"] = Public,
        ["ProposalsPage"] = Public,
        ["ProposalPage"] = Public,
        ["SupportProposalForm"] = Public,
        ["DocumentPage"] = Public,
        ["SectionPage"] = Public,
        ["SubmitSectionComment"] = Public,
        ["OpinionForm"] = Public,
        ["SubmitOpinionForm"] = Public,
        ["ReceiptPage"] = Public,
        ["AppealForm"] = Public,
        ["StatisticsPage"] = Public,
        ["ModerationLogPage"] = Public,
        // Staff sign-in and the staff pages: a person without a valid token is sent to sign in instead of a 401.
        ["StaffSignInPage"] = Public,
        ["StaffSignedInPage"] = Public,
        ["StaffSignInLocal"] = Public,
        ["StaffSession"] = Public,
        ["StaffSignOut"] = Public,
        ["StaffHomePage"] = StaffRoles.AnyStaff,
        ["ModerationQueuePage"] = StaffRoles.Moderator,
        ["ModerationItemPage"] = StaffRoles.Moderator,
        ["DecideModerationForm"] = StaffRoles.Moderator,
        ["ReviewQueuePage"] = StaffRoles.CongressStaff,
        ["ReviewOpinionPage"] = StaffRoles.CongressStaff,
        ["UpdateReviewOpinionForm"] = StaffRoles.CongressStaff,
        ["CampaignsPage"] = StaffRoles.CongressStaff,
        ["CampaignPage"] = StaffRoles.CongressStaff,
        ["MarkCampaignReviewedForm"] = StaffRoles.CongressStaff,
        ["OfficialResponsePage"] = StaffRoles.CongressStaff,
        ["PublishOfficialResponseForm"] = StaffRoles.CongressStaff,
        ["ExportReviewPage"] = StaffRoles.CongressStaff,
        ["MeetingsPage"] = StaffRoles.Facilitator,
        ["CreateMeetingForm"] = StaffRoles.Facilitator,
        ["MeetingPage"] = StaffRoles.Facilitator,
        ["MeetingStatusForm"] = StaffRoles.Facilitator,
        ["MeetingMinutesForm"] = StaffRoles.Facilitator,
        ["AttendanceForm"] = StaffRoles.Facilitator,
        ["RemoveAttendeeForm"] = StaffRoles.Facilitator,
        ["ProposalOutcomePage"] = StaffRoles.AdminOrFacilitator,
        ["ProposalOutcomeForm"] = StaffRoles.AdminOrFacilitator,
        ["MeetingProposalPage"] = StaffRoles.Facilitator,
        ["MeetingProposalForm"] = StaffRoles.Facilitator,
        ["BulkEntryPage"] = StaffRoles.AdminOrFacilitator,
        ["BulkEntryForm"] = StaffRoles.AdminOrFacilitator,
        ["BulkEntryTemplate"] = StaffRoles.AdminOrFacilitator,
        // The administrators' pages.
        ["ManageProcessesPage"] = StaffRoles.Admin,
        ["NewProcessPage"] = StaffRoles.Admin,
        ["CreateProcessForm"] = StaffRoles.Admin,
        ["EditProcessPage"] = StaffRoles.Admin,
        ["ReplaceProcessForm"] = StaffRoles.Admin,
        ["ManageDocumentsPage"] = StaffRoles.Admin,
        ["CreateDocumentForm"] = StaffRoles.Admin,
        ["EditDocumentPage"] = StaffRoles.Admin,
        ["ReplaceDocumentForm"] = StaffRoles.Admin,
        ["PublishVersionForm"] = StaffRoles.Admin,
    };

    static IEnumerable<string> Callers() => ["anonymous", .. StaffRoles.All, "wrong-audience", "expired", "wrong-key"];

    static string? TokenFor(string caller, string roleForBadTokens) => caller switch
    {
        "anonymous" => null,
        "wrong-audience" => StaffTokens.WrongAudience(roleForBadTokens),
        "expired" => StaffTokens.Expired(roleForBadTokens),
        "wrong-key" => StaffTokens.WrongKey(roleForBadTokens),
        _ => StaffTokens.For(caller),
    };

    [Fact]
    public async Task Every_endpoint_answers_each_caller_as_the_matrix_says()
    {
        await using var app = await ParticipaApp.StartAsync();
        await app.AddProcessAsync(Participa.Domain.SampleData.CoCreation2021);
        using var client = app.CreateClient();
        var functions = app.Host.Functions.Where(f => f.Route is not null).ToList();
        Assert.True(functions.Count > 60, "the worker loaded too few HTTP functions: " + functions.Count);

        var unlisted = functions.Select(f => f.Name).Where(name => !Matrix.ContainsKey(name)).ToList();
        Assert.True(unlisted.Count == 0, "Add these functions to the authorization matrix: " + string.Join(", ", unlisted));

        var failures = new List<string>();
        foreach (var function in functions)
        {
            var name = function.Name;
            var allowed = Matrix[name];
            var method = function.Methods[0].ToUpperInvariant();
            var path = "/" + Regex.Replace(function.Route!.TrimStart('/'), "{([^}:]+)[^}]*}", m => m.Groups[1].Value == "processId" ? "pan5-cocreacion" : "unknown");
            var roleForBadTokens = allowed is Public or StaffRoles.AnyStaff ? StaffRoles.Admin : allowed;
            foreach (var caller in Callers())
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Http.Json("{}") : null }
                    .WithToken(TokenFor(caller, roleForBadTokens));
                using var response = await client.SendAsync(request);
                var status = response.StatusCode;
                var expected = Expected(allowed, caller);
                // Staff pages answer people: no valid token is a redirect to the sign-in page, not a 401.
                if (expected == "401" && function.Route!.StartsWith("staff", StringComparison.Ordinal)) expected = "sign-in";
                var ok = expected switch
                {
                    // Let through means answered by the function: a 500 is a crash behind the door, not a pass.
                    "pass" => status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500
                        && response.Headers.Location?.OriginalString.StartsWith("/staff/sign-in", StringComparison.Ordinal) != true,
                    "401" => status == HttpStatusCode.Unauthorized,
                    "sign-in" => status == HttpStatusCode.SeeOther && response.Headers.Location?.OriginalString.StartsWith("/staff/sign-in?return=", StringComparison.Ordinal) == true,
                    _ => status == HttpStatusCode.Forbidden,
                };
                if (!ok) failures.Add($"{name} {method} {path} as {caller}: expected {expected}, got {(int)status}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    static string Expected(string allowed, string caller)
    {
        if (allowed == Public) return "pass";
        if (caller is "anonymous" or "wrong-audience" or "expired" or "wrong-key") return "401";
        if (allowed == StaffRoles.AnyStaff || allowed == caller) return "pass";
        if (allowed == StaffRoles.AdminOrFacilitator && StaffRoles.AdminOrFacilitatorRoles.Contains(caller)) return "pass";
        return "403";
    }

    [Fact]
    public async Task A_valid_token_reaches_the_staff_endpoint_with_its_roles()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me")
            .WithToken(StaffTokens.For(StaffRoles.Moderator, StaffRoles.Facilitator)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var me = await response.ReadJsonAsync();
        Assert.True(Guid.TryParse(me.GetProperty("id").GetString(), out _), me.ToString());
        Assert.Equal([StaffRoles.Moderator, StaffRoles.Facilitator], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
    }

    [Fact]
    public async Task A_token_without_a_staff_role_is_403()
    {
        await using var app = await ParticipaApp.StartAsync();
        using var client = app.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/staff/me").WithToken(StaffTokens.For("Some.Other.Role")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
