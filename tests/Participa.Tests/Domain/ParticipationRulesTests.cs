using Participa.Domain;

namespace Participa.Tests.Domain;

public class ParticipationRulesTests
{
    static readonly DateTimeOffset Opens = new(2027, 3, 1, 6, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Closes = new(2027, 3, 29, 6, 0, 0, TimeSpan.Zero);

    static Process Consultation(TimeSpan length) => SampleData.SelfAssessment2017 with
    {
        Phases = [new Phase("comentarios", "Comentarios", Opens, Opens + length, [SubmissionKind.Comment])],
    };

    [Fact]
    public void A_phase_is_open_from_its_opening_instant_until_just_before_it_closes()
    {
        var process = Consultation(Closes - Opens);
        Assert.NotNull(process.CheckOpen(SubmissionKind.Comment, Opens.AddTicks(-1)));
        Assert.Null(process.CheckOpen(SubmissionKind.Comment, Opens));
        Assert.Null(process.CheckOpen(SubmissionKind.Comment, Closes.AddTicks(-1)));
        Assert.NotNull(process.CheckOpen(SubmissionKind.Comment, Closes));
    }

    [Fact]
    public void A_closed_window_says_when_it_opens_or_when_it_closed()
    {
        var process = Consultation(Closes - Opens);
        var early = process.CheckOpen(SubmissionKind.Comment, Opens.AddDays(-3))!;
        Assert.Equal(Opens, early.OpensAt);
        Assert.Contains("2027-03-01T06:00:00.000Z", early.Message);
        var late = process.CheckOpen(SubmissionKind.Comment, Closes.AddDays(1))!;
        Assert.Equal(Closes, late.ClosedAt);
        Assert.Contains("closed", late.Message);
    }

    [Fact]
    public void A_phase_only_takes_the_kinds_it_accepts()
    {
        var closed = Consultation(Closes - Opens).CheckOpen(SubmissionKind.Proposal, Opens.AddDays(1));
        Assert.NotNull(closed);
        Assert.Null(closed.OpensAt);
        Assert.Null(closed.ClosedAt);
    }

    [Fact]
    public void A_consultation_shorter_than_two_weeks_needs_an_explicit_override_and_says_so()
    {
        var shortOne = Consultation(TimeSpan.FromDays(10));
        var errors = new Errors();
        Assert.Empty(Process.Validate(shortOne, allowShortConsultation: false, errors));
        Assert.Contains("14", errors.ToDictionary()["phases[0]"][0]);

        var overridden = new Errors();
        var warnings = Process.Validate(shortOne, allowShortConsultation: true, overridden);
        Assert.False(overridden.Any);
        Assert.Contains("override", Assert.Single(warnings));

        var twoWeeks = new Errors();
        Assert.Empty(Process.Validate(Consultation(TimeSpan.FromDays(14)), false, twoWeeks));
        Assert.False(twoWeeks.Any);
    }

    [Fact]
    public void A_window_wholly_in_the_past_is_accepted_with_a_warning()
    {
        var process = Consultation(TimeSpan.FromDays(20));
        var closes = process.Phases[0].Closes;
        var errors = new Errors();
        Assert.Empty(Process.Validate(process, false, errors, now: closes.AddTicks(-1)));
        var past = Assert.Single(Process.Validate(process, false, errors, now: closes));
        Assert.Contains("past", past);
        Assert.Contains(Timestamps.Format(closes), past);
        Assert.False(errors.Any);

        // A short consultation in the past: still refused without the override, and with it both warnings are given.
        var shortOne = Consultation(TimeSpan.FromDays(10));
        var refused = new Errors();
        Process.Validate(shortOne, false, refused, now: closes.AddYears(1));
        Assert.True(refused.Any);
        Assert.Equal(2, Process.Validate(shortOne, true, new Errors(), now: closes.AddYears(1)).Count);
    }

    [Fact]
    public void The_samples_are_valid_processes()
    {
        foreach (var process in SampleData.Processes)
        {
            var errors = new Errors();
            Process.Validate(process, false, errors);
            Assert.False(errors.Any, process.Id);
        }
    }

    [Fact]
    public void A_name_is_public_only_with_consent_and_the_email_never()
    {
        var errors = new Errors();
        var hidden = Participant.From(new CommentInput { AuthorName = "Ixchel", AuthorEmail = "ixchel@example.org" }, errors);
        Assert.Null(hidden.PublicName);
        Assert.Equal("Ixchel", hidden.Contact!.Name);
        Assert.DoesNotContain(hidden.PublicFields(), f => f.Item2.Contains("Ixchel") || f.Item2.Contains("example.org"));

        var shown = Participant.From(new CommentInput { AuthorName = "Ixchel", AuthorEmail = "ixchel@example.org", ShowName = true }, errors);
        Assert.Equal("Ixchel", shown.PublicName);
        Assert.DoesNotContain(shown.PublicFields(), f => f.Item2.Contains("example.org"));
        Assert.False(errors.Any);
    }

    [Theory]
    [InlineData("not-an-email", "authorEmail")]
    [InlineData(null, "showName")]
    public void Contact_fields_are_checked(string? email, string field)
    {
        var errors = new Errors();
        Participant.From(new CommentInput { AuthorEmail = email, ShowName = email is null }, errors);
        Assert.True(errors.ToDictionary().ContainsKey(field));
    }

    [Fact]
    public void Profile_values_come_from_their_lists()
    {
        var errors = new Errors();
        Participant.From(new CommentInput { Sector = "military", Gender = "x", AgeBand = "teen", Department = "mars", Municipality = "Nebaj" }, errors);
        Assert.Equal(["ageBand", "department", "gender", "sector"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void Replies_nest_up_to_the_maximum_depth_and_keep_the_root_and_target()
    {
        var target = new CommentTarget(CommentTargetKind.Section, "borrador-pan5", 2, "c3-h1");
        var now = DateTimeOffset.UnixEpoch;
        Comment? parent = null;
        for (var depth = 0; depth <= Comment.MaxDepth; depth++)
        {
            var errors = new Errors();
            var comment = Comment.Create("p", target, parent, new CommentInput { Text = $"nivel {depth}" }, Ids.New(now), now, errors)!;
            Assert.Equal(depth, comment.Depth);
            Assert.Equal(target, comment.Target);
            Assert.Equal(parent?.RootId ?? comment.Id, comment.RootId);
            parent = comment;
        }
        var tooDeep = new Errors();
        Assert.Null(Comment.Create("p", target, parent, new CommentInput { Text = "más" }, Ids.New(now), now, tooDeep));
        Assert.True(tooDeep.ToDictionary().ContainsKey("parentId"));
    }

    [Theory]
    [InlineData(CommentTargetKind.Section, "s:doc:3:art-1")]
    [InlineData(CommentTargetKind.Document, "d:doc:3")]
    [InlineData(CommentTargetKind.Proposal, "p:01a2036e4bff7894913c2bf784aa0d94")]
    public void Comment_targets_round_trip_through_their_keys(CommentTargetKind kind, string key)
    {
        var target = CommentTarget.Parse(key)!;
        Assert.Equal(kind, target.Kind);
        Assert.Equal(key, target.Key);
    }

    [Fact]
    public void An_opinion_names_an_article_of_the_version_and_a_known_position()
    {
        var errors = new Errors();
        var now = DateTimeOffset.UnixEpoch;
        Assert.Null(Opinion.Create("p", SampleDocuments.Bill5210, SampleDocuments.Bill5210V1,
            new OpinionInput { Position = "maybe", Article = "art-99" }, Ids.New(now), now, errors));
        Assert.Equal(["article", "position"], errors.ToDictionary().Keys.Order());

        var ok = Opinion.Create("p", SampleDocuments.Bill5210, SampleDocuments.Bill5210V1,
            new OpinionInput { Position = Positions.Against, Article = "art-1" }, Ids.New(now), now, new Errors())!;
        Assert.Equal("art-1", ok.Article);
        Assert.Equal("", ok.Reasons);
    }

    [Fact]
    public void Sample_documents_are_consistent()
    {
        foreach (var version in new[] { SampleDocuments.ActionPlanDraftV1, SampleDocuments.ActionPlanDraftV2, SampleDocuments.SelfAssessmentV1, SampleDocuments.Bill5210V1 })
        {
            Assert.Equal(version.Sections.Count, version.Sections.Select(s => s.Id).Distinct().Count());
            Assert.All(version.Sections, s => Assert.True(Slug.IsValid(s.Id, 63), s.Id));
            Assert.All(version.Sections.Where(s => s.ParentId is not null), s => Assert.NotNull(version.FindSection(s.ParentId!)));
            Assert.All(version.Changes.Where(c => c.SectionId is not null), c => Assert.NotNull(version.FindSection(c.SectionId!)));
        }
        Assert.Equal(12, SampleDocuments.ActionPlanDraftV1.Sections.Count(s => s.Kind == "commitment"));
    }
}
