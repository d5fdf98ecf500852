using System.Text.Json.Serialization;
using Participa.Api.Features.Administration;
using Participa.Api.Features.Comments;
using Participa.Api.Features.Documents;
using Participa.Api.Features.Ledger;
using Participa.Api.Features.Moderation;
using Participa.Api.Features.Opinions;
using Participa.Api.Features.Participants;
using Participa.Api.Features.Processes;
using Participa.Api.Features.Proposals;
using Participa.Api.Features.Receipts;
using Participa.Api.Features.Roundtables;
using Participa.Api.Features.Outcomes;
using Participa.Api.Features.Review;
using Participa.Api.Features.Statistics;
using Participa.Api.Features.Summaries;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Storage;

var builder = WebApplication.CreateBuilder(args);
builder.ListenAsCustomHandler();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<StorageUnavailableHandler>();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
    o.SerializerOptions.Converters.Add(new UtcTimestampConverter());
});
builder.Services.AddParticipaStorage(builder.Configuration);
builder.Services.AddParticipaRateLimits(builder.Configuration);
builder.AddStaffIdentity();
builder.Services.AddSingleton<ParticipantTokens>();

builder.Services.AddTimerFunction<PublishStatistics>(PublishStatistics.Name, PublishStatistics.Schedule);
builder.Services.AddTimerFunction<RecomputeStatistics>(RecomputeStatistics.Name, RecomputeStatistics.Schedule);
if (builder.Configuration.GetValue("Timers:RunLocally", !CustomHandler.UnderFunctionsHost))
    builder.Services.AddHostedService<LocalTimerScheduler>();
if (builder.Configuration.GetValue("Participa:SeedSampleData", false))
    builder.Services.AddHostedService<SampleDataSeeder>();

var app = builder.Build();
// Fail at start-up, not on the first support, if the participant token key is malformed.
app.Services.GetRequiredService<ParticipantTokens>();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

// The Functions host polls GET / until it answers: answer at once, touching nothing.
app.MapGet("/", () => TypedResults.Ok(new { service = "participa" })).ExcludeFromDescription();
app.MapProcesses();
app.MapProposals();
app.MapDocuments();
app.MapComments();
app.MapOpinions();
app.MapReceipts();
app.MapModeration();
app.MapRoundtables();
app.MapOutcomes();
app.MapReview();
app.MapParticipants();
app.MapStaffIdentity();
app.MapAdministration();
app.MapLedger();
app.MapSummaries();
app.MapTimerFunctions();
LocalTokenIssuer.MapDevelopmentTokens(app);

if (CustomHandler.WriteFunctionsDirectory(args) is { } directory)
{
    FunctionManifest.Write(app, directory);
    return;
}

app.Run();

public partial class Program;
