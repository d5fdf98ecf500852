using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Faults;

/// <summary>
/// A steady load of proposals from a few clients that behave as the API asks: each submission has its own
/// Idempotency-Key and is retried with it, after a short wait, until it is acknowledged (201) or the load stops.
/// Every answer is recorded, so a test can check what was promised against what was stored.
/// </summary>
public sealed class SubmissionLoad
{
    readonly Func<Uri> _address;
    readonly string _processId;
    readonly Func<int, string, bool> _retryable;
    readonly CancellationTokenSource _stop = new();
    readonly List<Task> _clients = [];
    volatile TaskCompletionSource _gate = Open();
    int _inFlight, _sent, _acknowledged;

    /// <param name="address">Where the app is now (a restarted app has a new address).</param>
    /// <param name="retryable">Which refusals (status, body) a client retries; anything else is an unexpected answer.</param>
    public SubmissionLoad(Func<Uri> address, string processId, Func<int, string, bool> retryable)
    {
        _address = address;
        _processId = processId;
        _retryable = retryable;
    }

    public ConcurrentBag<Attempt> Attempts { get; } = [];
    public ConcurrentBag<string> Unexpected { get; } = [];
    public ConcurrentDictionary<int, int> Refusals { get; } = new();
    public int Sent => _sent;
    public int Acknowledged => _acknowledged;
    public int InFlight => _inFlight;
    public int MissingRetryAfter;

    public sealed class Attempt(string key)
    {
        public string Key { get; } = key;
        public string Title { get; } = "Carga " + key[..16];
        public string? AcknowledgedId { get; set; }
        /// <summary>The load's acknowledgment count when this one was acknowledged: orders acknowledgments against events.</summary>
        public int AcknowledgedAs { get; set; }
        public bool Finished { get; set; }
        public int Requests { get; set; }
    }

    static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    public void Start(int clients)
    {
        for (var i = 0; i < clients; i++) _clients.Add(Task.Run(ClientAsync));
    }

    /// <summary>Holds every client before its next request (those in flight finish).</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    /// <summary>Waits, without sleeping a fixed time, until the condition holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0} s for {what}.");
            await Task.Delay(20);
        }
    }

    /// <summary>No new submissions; those begun are retried until acknowledged, within the timeout.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        _stop.Cancel();
        Release();
        var all = Task.WhenAll(_clients);
        if (await Task.WhenAny(all, Task.Delay(timeout)) != all)
            throw new TimeoutException($"Clients still retrying after {timeout.TotalSeconds:0} s.");
        await all;
    }

    async Task ClientAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) }) { Timeout = TimeSpan.FromSeconds(100) };
        var giveUp = new CancellationTokenSource();
        while (!_stop.IsCancellationRequested)
        {
            var attempt = new Attempt(Guid.NewGuid().ToString("N"));
            Attempts.Add(attempt);
            var body = JsonSerializer.Serialize(Http.Proposal(title: attempt.Title));
            while (!attempt.Finished)
            {
                await _gate.Task;
                Interlocked.Increment(ref _inFlight);
                Interlocked.Increment(ref _sent);
                attempt.Requests++;
                int status;
                string text;
                HttpResponseMessage? response = null;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_address(), $"api/processes/{_processId}/proposals")) { Content = Http.Json(body) };
                    request.Headers.Add("Idempotency-Key", attempt.Key);
                    response = await client.SendAsync(request);
                    status = (int)response.StatusCode;
                    text = await response.Content.ReadAsStringAsync();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // No answer at all (the app's host is down): the client cannot know, so it retries.
                    (status, text) = (0, e.Message);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
                if (status == (int)HttpStatusCode.Created)
                {
                    var item = JsonDocument.Parse(text).RootElement;
                    attempt.AcknowledgedId = item.GetProperty("id").GetString();
                    if (item.GetProperty("receipt").GetProperty("id").GetString() != attempt.AcknowledgedId)
                        Unexpected.Add("a 201 whose receipt is for another item: " + text);
                    attempt.AcknowledgedAs = Interlocked.Increment(ref _acknowledged);
                    attempt.Finished = true;
                }
                else if (_retryable(status, text))
                {
                    Refusals.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status == 503 && response?.Headers.RetryAfter is null) Interlocked.Increment(ref MissingRetryAfter);
                    // The answer asks for 5 s; a hurried client retries sooner, which the app must take too.
                    await Task.Delay(250);
                }
                else
                {
                    Unexpected.Add($"{status}: {(text.Length > 300 ? text[..300] : text)}");
                    attempt.Finished = true;
                }
                response?.Dispose();
            }
        }
    }

    /// <summary>Every stored proposal of the load, by title, read through the API.</summary>
    public static async Task<Dictionary<string, List<string>>> StoredAsync(HttpClient client, string processId)
    {
        var stored = new Dictionary<string, List<string>>();
        string? token = null;
        do
        {
            var url = $"/api/processes/{processId}/proposals?pageSize=100" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token));
            var page = await (await client.GetAsync(url)).ReadJsonAsync();
            foreach (var item in page.GetProperty("items").EnumerateArray())
            {
                var title = item.GetProperty("title").GetString()!;
                if (!stored.TryGetValue(title, out var ids)) stored[title] = ids = [];
                ids.Add(item.GetProperty("id").GetString()!);
            }
            token = page.TryGetProperty("continuationToken", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        } while (token is not null);
        return stored;
    }
}
