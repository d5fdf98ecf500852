using System.Net.Mail;

namespace Participa.Domain;

/// <summary>An allowed value of a profile field: a stable id for the API and a Spanish label for people.</summary>
public sealed record Choice(string Id, string Label);

/// <summary>The optional participant profile of the domain (sector, gender, age band) and its allowed values.</summary>
public static class Profile
{
    public static readonly IReadOnlyList<Choice> Sectors =
    [
        new("citizen", "Ciudadanía"),
        new("civil-society", "Organización de sociedad civil"),
        new("public-institution", "Institución pública"),
        new("academia", "Academia"),
        new("private-sector", "Sector privado"),
        new("international", "Organismo internacional / observador"),
    ];

    public static readonly IReadOnlyList<Choice> Genders =
    [
        new("female", "Mujer"),
        new("male", "Hombre"),
        new("other", "Otro"),
        new("undisclosed", "Prefiero no decirlo"),
    ];

    public static readonly IReadOnlyList<Choice> AgeBands =
    [
        new("under-18", "Menos de 18"),
        new("18-29", "18 a 29"),
        new("30-44", "30 a 44"),
        new("45-59", "45 a 59"),
        new("60-plus", "60 o más"),
    ];

    public static string? Choose(Errors errors, string field, string? value, IReadOnlyList<Choice> choices)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (choices.Any(c => c.Id == value)) return value;
        errors.Add(field, Localized.Format(Messages.OneOf, string.Join(", ", choices.Select(c => c.Id))));
        return null;
    }
}

/// <summary>
/// Who sent a submission, as far as they chose to say. Everything is optional. Only <see cref="PublicName"/> and
/// <see cref="PublicOrganisation"/> (given with consent) and the coarse fields department, municipality and sector
/// are ever shown with an item; gender and age band only feed aggregate statistics; <see cref="Contact"/> is private.
/// </summary>
public sealed record Participant(
    string? Department,
    string? Municipality,
    string? Sector,
    string? Gender,
    string? AgeBand,
    string? PublicName,
    string? PublicOrganisation,
    Contact? Contact)
{
    public const int NameMax = 120;
    public const int EmailMax = 254;

    public static readonly Participant Anonymous = new(null, null, null, null, null, null, null, null);

    public static Participant From(ParticipantFields input, Errors errors, bool departmentRequired = false)
    {
        string? department = null;
        if (string.IsNullOrWhiteSpace(input.Department))
        {
            if (departmentRequired) errors.Add("department", Messages.Required);
        }
        else if (Departments.Find(input.Department) is null)
            errors.Add("department", Localized.Format(Messages.DepartmentOneOf, string.Join(", ", Departments.All.Select(d => d.Id))));
        else
            department = input.Department;

        var municipality = Text.Optional(errors, "municipality", input.Municipality, 100);
        if (municipality is not null && department is null && !errors.Any)
            errors.Add("municipality", Messages.MunicipalityNeedsDepartment);

        var name = Text.Optional(errors, "authorName", input.AuthorName, NameMax);
        var organisation = Text.Optional(errors, "authorOrganisation", input.AuthorOrganisation, NameMax);
        var email = Contacts.Email(errors, "authorEmail", input.AuthorEmail);
        var showName = input.ShowName ?? false;
        if (showName && name is null && organisation is null)
            errors.Add("showName", Messages.ShowNameNeedsName);

        var contact = name is null && organisation is null && email is null ? null : new Contact(name, organisation, email, showName);
        return new Participant(
            department,
            municipality,
            Profile.Choose(errors, "sector", input.Sector, Profile.Sectors),
            Profile.Choose(errors, "gender", input.Gender, Profile.Genders),
            Profile.Choose(errors, "ageBand", input.AgeBand, Profile.AgeBands),
            showName ? name : null,
            showName ? organisation : null,
            contact);
    }

    /// <summary>The public fields, as they enter a receipt's canonical form (absent fields as empty strings).</summary>
    public IEnumerable<(string, string)> PublicFields() =>
    [
        ("department", Department ?? ""),
        ("municipality", Municipality ?? ""),
        ("sector", Sector ?? ""),
        ("authorName", PublicName ?? ""),
        ("authorOrganisation", PublicOrganisation ?? ""),
    ];
}

/// <summary>The shape of contact details, one rule wherever they are taken (a participant, an attendee).</summary>
public static class Contacts
{
    /// <summary>E.164 allows 15 digits; fewer than 7 is no reachable number (Guatemala's have 8).</summary>
    public const int PhoneDigitsMin = 7;
    public const int PhoneDigitsMax = 15;

    public static string? Email(Errors errors, string field, string? value)
    {
        var email = Text.Optional(errors, field, value, Participant.EmailMax);
        if (email is null || MailAddress.TryCreate(email, out _)) return email;
        errors.Add(field, Messages.EmailInvalid);
        return null;
    }

    /// <summary>Digits with an optional leading +, and the spaces, dashes, dots and brackets people write between them; kept as written.</summary>
    public static string? Phone(Errors errors, string field, string? value)
    {
        var phone = Text.Optional(errors, field, value, 32);
        if (phone is null) return null;
        var body = phone.StartsWith('+') ? phone[1..] : phone;
        var digits = body.Count(char.IsAsciiDigit);
        if (body.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '.' or '(' or ')') && digits is >= PhoneDigitsMin and <= PhoneDigitsMax)
            return phone;
        errors.Add(field, Localized.Format(Messages.PhoneInvalid, PhoneDigitsMin, PhoneDigitsMax));
        return null;
    }
}

/// <summary>Private contact details: stored apart from the item, never in a public response or published file.</summary>
public sealed record Contact(string? Name, string? Organisation, string? Email, bool ShowName);

/// <summary>The participant fields every submission may carry, flat so that a plain HTML form can send them.</summary>
public abstract record ParticipantFields
{
    public string? Department { get; init; }
    public string? Municipality { get; init; }
    public string? Sector { get; init; }
    public string? Gender { get; init; }
    public string? AgeBand { get; init; }
    public string? AuthorName { get; init; }
    public string? AuthorOrganisation { get; init; }
    public string? AuthorEmail { get; init; }
    public bool? ShowName { get; init; }
}
