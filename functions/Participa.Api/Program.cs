using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Participa.Api.Features.Participants;
using Participa.Api.Features.Statistics;
using Participa.Api.Hosting;
using Participa.Api.Http;
using Participa.Api.Features.Pages;
using Participa.Api.Features.Receipts;
using Participa.Api.Features.Submitting;
using Participa.Web;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();

// Outside an invocation (start-up, the sample seeder) nothing follows the machine's culture either.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

// Traces, metrics and structured logs (Hosting/Telemetry.cs); its middleware sees every invocation's final outcome.
builder.AddParticipaTelemetry();
// Cross-cutting policy for every function, in this order: log scope, the reader's language, HTML for a page's
// refusals, errors as problems, body limit, rate limits, staff roles.
builder.UseMiddleware<InvocationLogScope>();
builder.UseMiddleware<RequestLanguage>();
builder.UseMiddleware<PageErrorsMiddleware>();
builder.UseMiddleware<ProblemsMiddleware>();
builder.UseMiddleware<RequestLimitsMiddleware>();
builder.UseMiddleware<StaffAuthorizationMiddleware>();

builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
// The worker's own Kestrel sees every forwarded request: the backstop behind the per-function limits (JsonBody).
builder.Services.Configure<KestrelServerOptions>(k => k.Limits.MaxRequestBodySize = RequestLimitsMiddleware.LargestBodyBytes);
builder.Services.AddParticipaStorage(builder.Configuration);
builder.Services.AddParticipaRateLimits(builder.Configuration);
builder.AddStaffIdentity();
builder.Services.AddSingleton<ParticipantTokens>();
builder.Services.AddSingleton<AppealCodes>();
builder.Services.AddSingleton<Participation>();
builder.Services.AddSingleton<Participa.Api.Features.Bulk.BulkEntry>();
// Scoped: the renderer resolves per-request Components services.
builder.Services.AddScoped<PageRenderer>();
// Pages are mostly Spanish: letters like ñ and á go out as themselves, not as &#xF1; entities (smaller pages).
builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
builder.Services.AddScoped<Html>();
// Staff pages render what the API answers, through the same function classes (the worker itself builds its own instances).
builder.Services.AddScoped<Participa.Api.Features.Review.ReviewApi>();
builder.Services.AddScoped<Participa.Api.Features.Outcomes.OutcomesApi>();
builder.Services.AddSingleton<FunctionCatalog>();
builder.Services.AddScoped<PublishStatistics>();
builder.Services.AddScoped<RecomputeStatistics>();
builder.Services.AddParticipaClock(builder.Configuration, builder.Environment);
if (builder.Configuration.GetValue("Participa:SeedSampleData", false))
    builder.Services.AddHostedService<SampleDataSeeder>();

var app = builder.Build();
// Fail at start-up, not on the first support, if the participant token key is malformed.
app.Services.GetRequiredService<ParticipantTokens>();
app.Run();
