using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;
using Participa.Api.Hosting;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Infra;

/// <summary>
/// The Bicep CLI from the restored NuGet package (Azure.Bicep.CommandLine.linux-x64) builds and lints every template
/// under infra/ with no error and no warning, and the compiled ARM JSON of infra/main.bicep says what a deployment
/// promises: Flex Consumption with dotnet-isolated 10.0, no shared keys, HTTPS and TLS 1.2, narrow role assignments,
/// only the published container public, WORM on backups, diagnostics to the workspace.
/// </summary>
public sealed class InfraTests
{
    static readonly string InfraDirectory = Path.Combine(Azurite.RepositoryRoot, "infra");
    static readonly Lazy<JsonObject> Main = new(() => JsonNode.Parse(Build(Path.Combine(InfraDirectory, "main.bicep")))!.AsObject());

    public static TheoryData<string> Templates()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(InfraDirectory, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_template_builds_and_lints_without_errors_or_warnings(string template)
    {
        var path = Path.Combine(InfraDirectory, template);
        var build = Bicep("build", path, "--stdout");
        Assert.True(build.ExitCode == 0, build.Errors);
        Assert.Equal("", build.Errors.Trim());
        var lint = Bicep("lint", path);
        Assert.True(lint.ExitCode == 0, lint.Output + lint.Errors);
        Assert.Equal("", (lint.Output + lint.Errors).Trim());
    }

    [Fact]
    public void The_function_app_runs_the_isolated_worker_on_Flex_Consumption()
    {
        var plan = Assert.Single(Resources("Microsoft.Web/serverfarms"));
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        var site = Assert.Single(Resources("Microsoft.Web/sites"));
        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)config["runtime"]!["version"]);
        Assert.Equal("blobContainer", (string?)config["deployment"]!["storage"]!["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]!["storage"]!["authentication"]!["type"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.True((bool)site["properties"]!["httpsOnly"]!);
        Assert.Equal("1.2", (string?)site["properties"]!["siteConfig"]!["minTlsVersion"]);
    }

    [Fact]
    public void App_settings_use_the_identity_for_storage_and_name_every_timer_schedule()
    {
        var settings = Assert.Single(Resources("Microsoft.Web/sites/config"), c => ((string)c["name"]!).Contains("appsettings"))["properties"]!.AsObject();
        foreach (var name in new[]
                 {
                     "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "AzureWebJobsStorage__blobServiceUri",
                     "ParticipaStorage__tableServiceUri", "ParticipaStorage__blobServiceUri", "ParticipaStorage__clientId",
                     "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
                     "AzureAd__TenantId", "AzureAd__ClientId", "AzureAd__Audience", "Participa__ParticipantTokenKey",
                 })
            Assert.True(settings.ContainsKey(name), $"missing app setting {name}");
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        // Flex takes the runtime from functionAppConfig, and refuses this setting.
        Assert.False(settings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.DoesNotContain(settings, s => s.Key.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase) || s.Key == "AzureWebJobsStorage");
        var timers = FunctionCatalog.All()
            .SelectMany(f => f.Method.GetParameters().Select(p => p.GetCustomAttribute<Microsoft.Azure.Functions.Worker.TimerTriggerAttribute>()))
            .OfType<Microsoft.Azure.Functions.Worker.TimerTriggerAttribute>().Select(t => t.Schedule.Trim('%')).ToList();
        Assert.NotEmpty(timers);
        foreach (var schedule in timers)
            Assert.True(settings.ContainsKey(schedule), $"the timer schedule {schedule} is not an app setting");
    }

    [Fact]
    public void Storage_accounts_take_no_shared_keys_and_only_HTTPS_with_TLS_1_2()
    {
        var accounts = Resources("Microsoft.Storage/storageAccounts").ToList();
        Assert.Equal(2, accounts.Count);
        foreach (var account in accounts)
        {
            var properties = account["properties"]!;
            Assert.False((bool)properties["allowSharedKeyAccess"]!);
            Assert.True((bool)properties["supportsHttpsTrafficOnly"]!);
            Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        }
        // Only the data account lets a container be public, and only the published container is.
        Assert.Single(accounts, a => (bool)a["properties"]!["allowBlobPublicAccess"]!);
        var containers = Resources("Microsoft.Storage/storageAccounts/blobServices/containers").ToList();
        var open = Assert.Single(containers, c => (string?)c["properties"]?["publicAccess"] is { } access && access != "None");
        Assert.Contains("'published'", (string)open["name"]!);
        Assert.Equal("Blob", (string?)open["properties"]!["publicAccess"]);
    }

    [Fact]
    public void Role_assignments_are_scoped_to_the_resources_that_need_them()
    {
        var assignments = Resources("Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);
        string[] broad = ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "b24988ac-6180-42a0-ab88-20f7382dd24c", "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"];
        foreach (var assignment in assignments)
        {
            // Without a scope an assignment lands on the deployment's resource group (or the subscription).
            var scope = (string?)assignment["scope"];
            Assert.False(scope is null, $"{assignment["name"]} has no scope: it would cover the resource group");
            Assert.True(scope!.Contains("Microsoft.Storage/storageAccounts") || scope.Contains("Microsoft.Insights/components"), scope);
            var role = (string)assignment["properties"]!["roleDefinitionId"]!;
            Assert.DoesNotContain(broad, id => role.Contains(id));
        }
        // The app's identity gets table access on the data account and blob access per container, not per account.
        Assert.Contains(assignments, a => ((string)a["scope"]!).Contains("containers") && ((string)a["scope"]!).Contains("'backups'"));
    }

    [Fact]
    public void Backups_are_immutable_and_the_data_account_is_locked_and_recoverable()
    {
        var worm = Assert.Single(Resources("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies"));
        Assert.Contains("'backups'", (string)worm["name"]!);
        Assert.NotNull(worm["properties"]!["immutabilityPeriodSinceCreationInDays"]);
        var lockResource = Assert.Single(Resources("Microsoft.Authorization/locks"));
        Assert.Equal("CanNotDelete", (string?)lockResource["properties"]!["level"]);
        Assert.Contains("Microsoft.Storage/storageAccounts", (string)lockResource["scope"]!);
        var blobServices = Resources("Microsoft.Storage/storageAccounts/blobServices").Where(b => b["properties"]?["deleteRetentionPolicy"] is not null).ToList();
        var data = Assert.Single(blobServices);
        Assert.True((bool)data["properties"]!["isVersioningEnabled"]!);
        Assert.True((bool)data["properties"]!["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)data["properties"]!["containerDeleteRetentionPolicy"]!["enabled"]!);
    }

    [Fact]
    public void Diagnostic_settings_send_the_app_and_storage_logs_to_the_workspace()
    {
        var diagnostics = Resources("Microsoft.Insights/diagnosticSettings").ToList();
        foreach (var target in new[] { "Microsoft.Web/sites", "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts/tableServices" })
            Assert.Contains(diagnostics, d => ((string?)d["scope"] ?? "").Contains(target + "'") || ((string?)d["scope"] ?? "").Contains(target + "/"));
        Assert.All(diagnostics, d => Assert.NotNull(d["properties"]!["workspaceId"]));
        var insights = Assert.Single(Resources("Microsoft.Insights/components"));
        Assert.NotNull(insights["properties"]!["WorkspaceResourceId"]);
        Assert.True((bool)insights["properties"]!["DisableLocalAuth"]!);
        Assert.Single(Resources("Microsoft.OperationalInsights/workspaces"));
    }

    [Fact]
    public void The_default_region_is_near_Guatemala_and_azure_yaml_names_one_function_app()
    {
        Assert.Equal("southcentralus", (string?)Main.Value["parameters"]!["location"]!["defaultValue"]);
        var yaml = File.ReadAllText(Path.Combine(Azurite.RepositoryRoot, "azure.yaml"));
        Assert.Contains("host: function", yaml);
        Assert.Single(yaml.Split('\n'), l => l.Trim() == "host: function");
        Assert.Contains("project: ./functions/Participa.Api/", yaml);
    }

    /// <summary>Every resource of the compiled template, nested deployments' templates included.</summary>
    static IEnumerable<JsonObject> Resources(string type) => All(Main.Value).Where(r => (string?)r["type"] == type);

    static IEnumerable<JsonObject> All(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject byName => byName.Select(r => r.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return resource;
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
                foreach (var inner in All(nested))
                    yield return inner;
        }
    }

    static string Build(string path)
    {
        var build = Bicep("build", path, "--stdout");
        if (build.ExitCode != 0) throw new InvalidOperationException(build.Errors);
        return build.Output;
    }

    static (int ExitCode, string Output, string Errors) Bicep(params string[] arguments)
    {
        var start = new ProcessStartInfo(BicepPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result, errors.Result);
    }

    static readonly string BicepPath = FindBicep();

    static string FindBicep()
    {
        var package = typeof(InfraTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPackage").Value;
        var path = Path.Combine(package ?? "", "tools", "bicep");
        if (!File.Exists(path)) throw new InvalidOperationException($"The Bicep CLI is not at {path}: restore the test project (scripts/test.sh does).");
        // NuGet does not always keep the executable bit of a file in a package.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }
}
