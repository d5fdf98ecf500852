namespace Participa.Domain;

/// <summary>
/// Local sample data drawn from the co-creation of Guatemala's 5th Open Government action plan (2021-2023).
/// The themes are the plan's six; every proposal here is invented and carries no person's data.
/// </summary>
public static class SampleData
{
    public static readonly Process CoCreation2021 = new(
        Id: "pan5-cocreacion",
        Kind: ProcessKind.CoCreation,
        Title: "Cocreación del 5.º Plan de Acción Nacional de Gobierno Abierto 2021-2023 (datos de ejemplo)",
        Organiser: "Comisión Presidencial de Gobierno Abierto y Electrónico (ejemplo)",
        Description: "Portal de propuestas ciudadanas para el eje central «Transparencia en la gestión pública y el " +
                     "presupuesto del Estado». Proceso de ejemplo para desarrollo local: no es un proceso real.",
        Themes:
        [
            new("gobierno-digital", "Gobierno digital y modernización de la gestión pública"),
            new("educacion-salud-san", "Educación, salud, seguridad alimentaria y nutricional"),
            new("ambiente-clima", "Ambiente y cambio climático"),
            new("migracion-pobreza", "Migración y reducción de la pobreza"),
            new("inclusion-social", "Inclusión social y poblaciones en condiciones de vulnerabilidad"),
            new("transparencia-anticorrupcion", "Gestión y seguimiento de iniciativas, tratados y convenios internacionales en transparencia, anticorrupción y rendición de cuentas"),
        ],
        // Open wide so the sample accepts submissions on any developer machine.
        Phases: [new("propuestas", "Propuestas ciudadanas", new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 12, 31, 23, 59, 59, TimeSpan.Zero),
            [SubmissionKind.Proposal, SubmissionKind.Comment, SubmissionKind.Support])],
        IsSample: true);

    static readonly DateTimeOffset SampleOpens = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset SampleCloses = new(2030, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>A consultation on the 2016-2018 mid-term self-assessment, as in September 2017 (sample).</summary>
    public static readonly Process SelfAssessment2017 = new(
        Id: "autoevaluacion-2017",
        Kind: ProcessKind.DraftConsultation,
        Title: "Consulta pública del informe de autoevaluación de medio término 2016-2018 (datos de ejemplo)",
        Organiser: "Punto de contacto de Gobierno Abierto (ejemplo)",
        Description: "El informe se publica para comentarios por sección durante al menos dos semanas. Proceso de ejemplo.",
        Themes: [],
        Phases: [new("comentarios", "Comentarios al informe", SampleOpens, SampleCloses, [SubmissionKind.Comment])],
        IsSample: true);

    /// <summary>Citizen opinion on bill 5210, the access-to-information reform (sample).</summary>
    public static readonly Process Bill5210 = new(
        Id: "iniciativa-5210",
        Kind: ProcessKind.LegislativeInitiative,
        Title: "Iniciativa 5210: reforma a la Ley de Acceso a la Información Pública (datos de ejemplo)",
        Organiser: "Congreso de la República (ejemplo)",
        Description: "Opiniones ciudadanas a favor, en contra o neutrales, sobre la iniciativa completa o por artículo. Proceso de ejemplo.",
        Themes: [],
        Phases: [new("opinion", "Opinión ciudadana", SampleOpens, SampleCloses, [SubmissionKind.Opinion, SubmissionKind.Comment])],
        IsSample: true);

    public static readonly IReadOnlyList<Process> Processes = [CoCreation2021, SelfAssessment2017, Bill5210];

    static ProposalInput P(string title, string problem, string solution, string theme, string department, string? sector = null) => new()
    {
        Title = title, Problem = problem, ProposedSolution = solution, Theme = theme, Department = department, Sector = sector,
    };

    public static readonly IReadOnlyList<ProposalInput> Proposals =
    [
        P("Datos abiertos de compras municipales",
            "Las compras de las municipalidades se publican en formatos que no se pueden reutilizar.",
            "Publicar cada trimestre las compras municipales en CSV con un diccionario de datos.",
            "gobierno-digital", "quetzaltenango", "civil-society"),
        P("Tablero de abastecimiento de medicamentos",
            "En los centros de salud no se sabe qué medicamentos hay disponibles.",
            "Un tablero público, actualizado cada semana, con las existencias por centro de salud.",
            "educacion-salud-san", "alta-verapaz", "citizen"),
        P("Monitoreo comunitario de reforestación",
            "Los proyectos de reforestación no informan cuántos árboles sobreviven.",
            "Que las comunidades reporten la supervivencia de los árboles y se publique por municipio.",
            "ambiente-clima", "peten", "academia"),
        P("Información en idiomas mayas sobre programas sociales",
            "Muchas familias no reciben información de los programas en su idioma (k'iche', q'eqchi', mam…).",
            "Publicar los requisitos de cada programa en los idiomas mayas con mayor número de hablantes.",
            "inclusion-social", "huehuetenango", "citizen"),
        P("Seguimiento público de la política de empleo",
            "No hay información sobre el avance de las metas de empleo por departamento.",
            "Reporte semestral abierto del avance de la política de empleo, desagregado por departamento.",
            "migracion-pobreza", "san-marcos"),
        P("Seguimiento ciudadano de convenciones anticorrupción",
            "Las recomendaciones internacionales contra la corrupción no tienen seguimiento público.",
            "Una matriz abierta de recomendaciones, responsables y avances, revisada con sociedad civil.",
            "transparencia-anticorrupcion", "guatemala", "civil-society"),
    ];

    /// <summary>Invented opinions on bill 5210: (position, reasons, article or null, department).</summary>
    public static readonly IReadOnlyList<OpinionInput> Opinions =
    [
        new() { Position = Positions.For, Reasons = "Plazos más cortos ayudan a que la información llegue a tiempo.", Article = "art-2", Department = "guatemala", Sector = "civil-society" },
        new() { Position = Positions.Against, Reasons = "Las municipalidades pequeñas no tienen personal para cumplir.", Article = "art-2", Department = "totonicapan" },
        new() { Position = Positions.Neutral, Reasons = "Falta explicar cómo se financiará la unidad de información.", Department = "izabal", Sector = "academia" },
        new() { Position = Positions.For, Reasons = "", Department = "chiquimula" },
    ];

    /// <summary>Invented comments: the section they are about and the text.</summary>
    public static readonly IReadOnlyList<(string SectionId, string Text)> SelfAssessmentComments =
    [
        ("s1", "El informe debería incluir cuántas personas participaron en cada foro regional."),
        ("s2", "Sugiero publicar las ayudas de memoria de cada mesa técnica junto con el informe."),
    ];
}
