using System.Net;
using Participa.Storage;
using Participa.Tests.Infrastructure;

namespace Participa.Tests.Participation;

public class ReceiptsAndPrivacyTests
{
    [Fact]
    public async Task A_receipt_shows_a_published_item_and_after_hiding_the_state_and_reason_but_not_the_content()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var created = await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal(theme: "ambiente-clima", title: "Texto a ocultar")))).ReadJsonAsync();
        var id = created.GetProperty("id").GetString()!;
        var receiptUrl = created.GetProperty("receipt").GetProperty("url").GetString()!;

        var published = await (await client.GetAsync(receiptUrl)).ReadJsonAsync();
        Assert.Equal("published", published.GetProperty("state").GetString());
        Assert.Equal("proposal", published.GetProperty("kind").GetString());
        Assert.Equal(created.GetProperty("receipt").GetProperty("sha256").GetString(), published.GetProperty("sha256").GetString());
        Assert.Equal($"/api/processes/{process.Id}/proposals/{id}", published.GetProperty("itemUrl").GetString());

        var hiddenAt = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
        Assert.True(await app.Service<SubmissionStore>().SetStateAsync(process.Id, id, ItemState.Hidden("insult", "Lenguaje ofensivo.", hiddenAt), null, CancellationToken.None));

        var receipt = await client.GetAsync(receiptUrl);
        var body = await receipt.Content.ReadAsStringAsync();
        var hidden = await receipt.ReadJsonAsync();
        Assert.Equal("hidden", hidden.GetProperty("state").GetString());
        Assert.Equal("insult", hidden.GetProperty("reasonCategory").GetString());
        Assert.Equal("Lenguaje ofensivo.", hidden.GetProperty("reason").GetString());
        Assert.Equal("2026-11-22T15:00:00.000Z", hidden.GetProperty("stateChangedAt").GetString());
        Assert.Equal(published.GetProperty("sha256").GetString(), hidden.GetProperty("sha256").GetString());
        Assert.DoesNotContain("Texto a ocultar", body);

        // Gone from every list and index, and from direct reads.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{process.Id}/proposals/{id}")).StatusCode);
        foreach (var query in new[] { "", "?theme=ambiente-clima", "?department=solola" })
            Assert.Equal(0, (await (await client.GetAsync($"/api/processes/{process.Id}/proposals{query}")).ReadJsonAsync()).GetProperty("count").GetInt64());

        // Restored, it is back everywhere.
        await app.Service<SubmissionStore>().SetStateAsync(process.Id, id, ItemState.Published(hiddenAt.AddHours(1)), null, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/processes/{process.Id}/proposals/{id}")).StatusCode);
        Assert.Equal("published", (await (await client.GetAsync(receiptUrl)).ReadJsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Two_moderators_deciding_from_the_same_state_cannot_both_win()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var id = (await (await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(Http.Proposal()))).ReadJsonAsync()).GetProperty("id").GetString()!;
        var store = app.Service<SubmissionStore>();
        var seen = (await store.FindAsync(process.Id, Keys.Receipt(id), CancellationToken.None))!.ETag;

        await store.SetStateAsync(process.Id, id, ItemState.Hidden("spam", null, DateTimeOffset.UtcNow), seen, CancellationToken.None);
        var late = await Assert.ThrowsAnyAsync<Azure.RequestFailedException>(() =>
            store.SetStateAsync(process.Id, id, ItemState.Published(DateTimeOffset.UtcNow), seen, CancellationToken.None));

        Assert.Equal(412, late.Status);
        Assert.Equal("hidden", (await (await client.GetAsync($"/api/processes/{process.Id}/receipts/{id}")).ReadJsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Every_kind_of_submission_has_a_receipt()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        using var client = app.CreateClient();
        var opinion = await (await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "neutral" }))).ReadJsonAsync();
        var comment = await (await client.PostAsync($"/api/processes/{bill.Id}/documents/iniciativa-5210/versions/1/comments", Http.Json(new { text = "General" }))).ReadJsonAsync();

        foreach (var (item, kind) in new[] { (opinion, "opinion"), (comment, "comment") })
        {
            var receipt = await (await client.GetAsync(item.GetProperty("receipt").GetProperty("url").GetString())).ReadJsonAsync();
            Assert.Equal(kind, receipt.GetProperty("kind").GetString());
            Assert.Equal(item.GetProperty("receipt").GetProperty("sha256").GetString(), receipt.GetProperty("sha256").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{bill.Id}/receipts/01a2036e4bff7894913c2bf784aa0d94")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/processes/{bill.Id}/receipts/nope")).StatusCode);
    }

    [Fact]
    public async Task Emails_and_names_without_consent_never_appear_in_public_responses()
    {
        await using var app = await ParticipaApp.StartAsync();
        var bill = await app.AddBillProcessAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var secretName = "Nombre-Secreto-" + Guid.NewGuid().ToString("N")[..6];
        const string email = "persona.privada@example.org";
        var proposal = Http.Proposal();
        proposal["authorName"] = secretName;
        proposal["authorEmail"] = email;
        proposal["gender"] = "female";
        proposal["ageBand"] = "30-44";

        var responses = new List<HttpResponseMessage>
        {
            await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(proposal)),
            await client.PostAsync($"/api/processes/{bill.Id}/opinions", Http.Json(new { position = "for", authorName = secretName, authorEmail = email, authorOrganisation = secretName })),
            await client.PostAsync($"/api/processes/{bill.Id}/documents/iniciativa-5210/versions/1/comments", Http.Json(new { text = "Hola", authorName = secretName, authorEmail = email })),
        };
        var proposalId = (await responses[0].ReadJsonAsync()).GetProperty("id").GetString();
        responses.Add(await client.GetAsync($"/api/processes/{process.Id}/proposals"));
        responses.Add(await client.GetAsync($"/api/processes/{process.Id}/proposals/{proposalId}"));
        responses.Add(await client.GetAsync($"/api/processes/{process.Id}/receipts/{proposalId}"));
        responses.Add(await client.GetAsync($"/api/processes/{bill.Id}/opinions"));
        responses.Add(await client.GetAsync($"/api/processes/{bill.Id}/documents/iniciativa-5210/versions/1/comments"));

        foreach (var response in responses)
        {
            Assert.True(response.IsSuccessStatusCode, response.RequestMessage!.RequestUri!.ToString());
            var text = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(secretName, text);
            Assert.DoesNotContain("example.org", text);
            Assert.DoesNotContain("female", text);
            Assert.DoesNotContain("30-44", text);
        }

        // The contact is kept, privately, for the staff who may need it.
        var contact = await app.Service<SubmissionStore>().FindAsync(process.Id, Keys.Contact(proposalId!), CancellationToken.None);
        Assert.Equal(email, contact!.GetString("Email"));
    }

    [Fact]
    public async Task A_name_shown_with_consent_appears_and_the_email_still_does_not()
    {
        await using var app = await ParticipaApp.StartAsync();
        var process = await app.AddProcessAsync();
        using var client = app.CreateClient();
        var proposal = Http.Proposal();
        proposal["authorName"] = "Asociación Ejemplo de Nebaj";
        proposal["authorEmail"] = "contacto@example.org";
        proposal["showName"] = true;

        var created = await client.PostAsync($"/api/processes/{process.Id}/proposals", Http.Json(proposal));
        var text = await created.Content.ReadAsStringAsync();

        Assert.Equal("Asociación Ejemplo de Nebaj", (await created.ReadJsonAsync()).GetProperty("participant").GetProperty("name").GetString());
        Assert.DoesNotContain("example.org", text);
    }
}
