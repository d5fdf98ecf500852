using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Participa.Api.Hosting;

/// <summary>
/// The app's own traces and metrics, named "Participa". Tags are function names, kinds, status codes and problem
/// types: never what people wrote, never who they are (a test checks what a submission with contact details emits).
/// </summary>
public static class Telemetry
{
    public const string Name = "Participa";
    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    public static readonly Counter<long> Invocations = Meter.CreateCounter<long>("participa.invocations", description: "Function invocations by function, trigger and outcome");
    public static readonly Counter<long> SubmissionsAccepted = Meter.CreateCounter<long>("participa.submissions.accepted", description: "Submissions stored, by kind");
    public static readonly Counter<long> SubmissionsRefused = Meter.CreateCounter<long>("participa.submissions.refused", description: "Submissions refused, by kind and reason (status and problem type)");
    public static readonly Counter<long> TimerRuns = Meter.CreateCounter<long>("participa.timer.runs", description: "Timer runs by timer and outcome");
    public static readonly Counter<long> ItemsAggregated = Meter.CreateCounter<long>("participa.statistics.items_aggregated", description: "Journal rows applied to the published statistics");

    /// <summary>The functions that take a citizen's submission, and the kind each one counts as.</summary>
    static readonly Dictionary<string, string> SubmissionKinds = new()
    {
        ["SubmitProposal"] = "proposal", ["SubmitOpinion"] = "opinion", ["SupportProposal"] = "support",
        ["CommentOnDocument"] = "comment", ["CommentOnSection"] = "comment", ["CommentOnProposal"] = "comment", ["ReplyToComment"] = "comment",
        ["ReportItem"] = "report", ["AppealReceipt"] = "appeal", ["RegisterAttendance"] = "attendance", ["RecordMeetingProposal"] = "proposal",
    };

    /// <summary>
    /// OpenTelemetry in the worker: the Functions worker's defaults, the app's source and meter, the Azure SDK's
    /// storage calls, structured logs. Exported to Azure Monitor when APPLICATIONINSIGHTS_CONNECTION_STRING is set
    /// (as the identity in APPLICATIONINSIGHTS_AUTHENTICATION_STRING), over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is,
    /// and to the console when Telemetry:Console is true (local runs and the telemetry test).
    /// </summary>
    public static FunctionsApplicationBuilder AddParticipaTelemetry(this FunctionsApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // The Azure SDK creates its activities (one per storage call) only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var console = configuration.GetValue("Telemetry:Console", false);
        var interval = configuration.GetValue("Telemetry:MetricExportMilliseconds", 60_000);

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeScopes = true;
            // Structured: the template and its named values, not only the rendered line.
            o.IncludeFormattedMessage = true;
            o.ParseStateValues = true;
            if (console) o.AddConsoleExporter();
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("participa"))
            .WithTracing(t =>
            {
                t.AddSource(Name, "Azure.Data.Tables.*", "Azure.Storage.Blobs.*", "Microsoft.Azure.Functions.Worker");
                if (console) t.AddConsoleExporter();
            })
            .WithMetrics(m =>
            {
                m.AddMeter(Name);
                if (console) m.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval);
            })
            .UseFunctionsWorkerDefaults();
        // Worker.OpenTelemetry 1.2.0 asks for schema 1.37.0, whose log scope names the invocation faas.invocation_id:
        // the worker's log lines then reach the host without their invocation id. 1.17.0 keeps it (and is the default).
        builder.Services.Configure<WorkerOptions>(o => o.Capabilities["WorkerOpenTelemetrySchemaVersion"] = "1.17.0");

        if (configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] is { Length: > 0 } connectionString)
            otel.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                // Application Insights takes only Entra ID-authenticated telemetry (DisableLocalAuth in infra/).
                if (ClientIdOf(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                    o.Credential = new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            });
        if (configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
            otel.UseOtlpExporter();
        builder.UseMiddleware<InvocationTelemetry>();
        return builder;
    }

    static string? ClientIdOf(string? authentication) =>
        authentication?.Split(';').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Trim() == "ClientId").Select(p => p[1].Trim()).FirstOrDefault();

    /// <summary>One span and one count per invocation; for submissions, accepted or refused and why.</summary>
    sealed class InvocationTelemetry : IFunctionsWorkerMiddleware
    {
        public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
        {
            var function = context.FunctionDefinition.Name;
            var trigger = context.FunctionDefinition.InputBindings.Values.FirstOrDefault(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal))?.Type ?? "other";
            using var activity = Source.StartActivity($"invoke {function}", ActivityKind.Server);
            activity?.SetTag("faas.name", function);
            activity?.SetTag("faas.invocation_id", context.InvocationId);
            activity?.SetTag("faas.trigger", trigger == "timerTrigger" ? "timer" : trigger == "httpTrigger" ? "http" : "other");
            var outcome = "error";
            try
            {
                await next(context);
                var status = context.GetHttpContext() is null ? (int?)null : StatusOf(context.GetInvocationResult().Value, context.GetHttpContext()!);
                outcome = status is >= 500 ? "error" : status is >= 400 ? "refused" : "ok";
                if (status is { } code) activity?.SetTag("http.response.status_code", code);
                if (SubmissionKinds.TryGetValue(function, out var kind) && status is { } s)
                {
                    if (s is >= 200 and < 300) SubmissionsAccepted.Add(1, new KeyValuePair<string, object?>("kind", kind));
                    else SubmissionsRefused.Add(1, new("kind", kind), new("reason", ReasonOf(s, context.GetInvocationResult().Value)));
                }
            }
            catch (Exception e)
            {
                outcome = "error";
                activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                throw;
            }
            finally
            {
                if (outcome == "error") activity?.SetStatus(ActivityStatusCode.Error);
                if (trigger == "timerTrigger") TimerRuns.Add(1, new("timer", function), new("outcome", outcome));
                Invocations.Add(1, new("function", function), new("outcome", outcome));
            }
        }

        static int StatusOf(object? result, HttpContext http) => result switch
        {
            IStatusCodeHttpResult { StatusCode: { } code } => code,
            Microsoft.AspNetCore.Mvc.Infrastructure.IStatusCodeActionResult { StatusCode: { } code } => code,
            _ => http.Response.StatusCode,
        };

        // The status and the problem's type URI: a category the code chose, never text from the request.
        static string ReasonOf(int status, object? result) => result switch
        {
            ProblemHttpResult { ProblemDetails.Type: { Length: > 0 } type } => $"{status} {type}",
            ValidationProblem => $"{status} validation",
            _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
