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
        Phases: [new("propuestas", "Propuestas ciudadanas", new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new(2030, 12, 31, 23, 59, 59, TimeSpan.Zero))],
        IsSample: true);

    public static readonly IReadOnlyList<ProposalInput> Proposals =
    [
        new("Datos abiertos de compras municipales",
            "Las compras de las municipalidades se publican en formatos que no se pueden reutilizar.",
            "Publicar cada trimestre las compras municipales en CSV con un diccionario de datos.",
            "gobierno-digital", "quetzaltenango"),
        new("Tablero de abastecimiento de medicamentos",
            "En los centros de salud no se sabe qué medicamentos hay disponibles.",
            "Un tablero público, actualizado cada semana, con las existencias por centro de salud.",
            "educacion-salud-san", "alta-verapaz"),
        new("Monitoreo comunitario de reforestación",
            "Los proyectos de reforestación no informan cuántos árboles sobreviven.",
            "Que las comunidades reporten la supervivencia de los árboles y se publique por municipio.",
            "ambiente-clima", "peten"),
        new("Información en idiomas mayas sobre programas sociales",
            "Muchas familias no reciben información de los programas en su idioma (k'iche', q'eqchi', mam…).",
            "Publicar los requisitos de cada programa en los idiomas mayas con mayor número de hablantes.",
            "inclusion-social", "huehuetenango"),
        new("Seguimiento público de la política de empleo",
            "No hay información sobre el avance de las metas de empleo por departamento.",
            "Reporte semestral abierto del avance de la política de empleo, desagregado por departamento.",
            "migracion-pobreza", "san-marcos"),
        new("Seguimiento ciudadano de convenciones anticorrupción",
            "Las recomendaciones internacionales contra la corrupción no tienen seguimiento público.",
            "Una matriz abierta de recomendaciones, responsables y avances, revisada con sociedad civil.",
            "transparencia-anticorrupcion", "guatemala"),
    ];
}
