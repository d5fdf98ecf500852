namespace Participa.Domain;

/// <summary>
/// Local sample documents: the first draft of Guatemala's 5th Open Government action plan (2021-2023) and its
/// revision, the mid-term self-assessment of the 2016-2018 plan, and bill 5210. Commitments, milestones and report
/// chapters are short Spanish summaries of the published documents; the articles of bill 5210 are invented, because
/// the sources only record the bill's number, commission and dates. No section names a person: institutions and
/// roles only.
/// </summary>
public static class SampleDocuments
{
    // The platform stores milestone status in the OGP template's own English terms.
    const string NotStarted = "Not started";

    const string Gae = "Comisión Presidencial de Gobierno Abierto y Electrónico -GAE-";
    const string Mingob = "Ministerio de Gobernación -MINGOB-";
    const string Sesan = "Secretaría de Seguridad Alimentaria y Nutricional de la Presidencia de la República -SESAN-";
    const string Mineduc = "Ministerio de Educación -MINEDUC-";
    const string Mspas = "Ministerio de Salud Pública y Asistencia Social -MSPAS-";
    const string Marn = "Ministerio de Ambiente y Recursos Naturales -MARN-";
    const string Mintrab = "Ministerio de Trabajo y Previsión Social -MINTRAB-";
    const string Conamigua = "Consejo Nacional de Atención al Migrante de Guatemala -CONAMIGUA-";
    const string Conadi = "Consejo Nacional para la Atención de las Personas con Discapacidad -CONADI-";
    const string Cpcc = "Comisión Presidencial contra la Corrupción -CPCC-";
    const string MemEiti = "Ministerio de Energía y Minas -MEM- / Secretaría Ejecutiva EITI Guatemala";

    // ---------------------------------------------------------------------------------------------------------------
    // 1. First draft of the 5th National Action Plan 2021-2023, for comment in the co-creation process.
    // ---------------------------------------------------------------------------------------------------------------

    public static readonly Document ActionPlanDraft = new(
        "pan5-cocreacion", "borrador-pan5", DocumentKind.ActionPlanDraft,
        "Borrador del 5.º Plan de Acción Nacional de Gobierno Abierto 2021-2023", null, 2);

    // The plan's dates are months, so commitments starting on 10 January 2022 read "2022-01". Where a section
    // changed between the draft and the June 2022 revision, V1 carries the earlier wording the plan's change logs quote.
    public static readonly DocumentVersion ActionPlanDraftV1 = new(
        Number: 1,
        PublishedAt: new DateTimeOffset(2021, 11, 30, 18, 0, 0, TimeSpan.Zero),
        Changes: [new(null, "Primer borrador publicado para comentarios")],
        Sections:
        [
            Commitment(1, "Acciones institucionales para fortalecer la publicación en datos abiertos",
                "La Política Nacional de Datos Abiertos (Acuerdo Gubernativo 199-2018) vence el 31 de diciembre de 2022 y " +
                "la mayor parte de la información pública de oficio de los portales del Organismo Ejecutivo no está en " +
                "formatos abiertos. El compromiso promueve comités de datos abiertos en cada ministerio y dependencia del " +
                "Ejecutivo y acciones institucionales para fortalecer la publicación en datos abiertos.",
                Mingob, "2022-01", "2023-08"),
            Milestone(1, 1, "Comité de usuarios de datos abiertos",
                "Conformación del Comité de Usuarios de Datos Abiertos (organizaciones de sociedad civil e instituciones " +
                "públicas), para conocer y determinar la oferta y la demanda de conjuntos de datos abiertos para su publicación.",
                Mingob, "2022-01", "2022-05"),
            Milestone(1, 2, "Relanzamiento del Portal Nacional de Datos Abiertos",
                "Se relanzará el Portal Nacional de Datos Abiertos, con conjuntos de datos priorizados por la sociedad civil " +
                "y las instituciones públicas.",
                Mingob, "2022-06", "2022-08"),
            Milestone(1, 3, "Formación en datos abiertos",
                "Se realizarán procesos de formación y actualización en datos abiertos para sociedad civil, funcionarios " +
                "públicos, centros de pensamiento, academia y medios de comunicación, entre otros (definición de contenidos " +
                "y realización de las capacitaciones).",
                Mingob, "2022-09", "2023-02"),
            Milestone(1, 4, "Datos abiertos sobre violencia contra las mujeres",
                "Uso de datos abiertos sobre violencia contra las mujeres y violencia homicida registrada por la Policía " +
                "Nacional Civil, con tipo de arma, desagregación por sexo y edad y otros campos acordados en el comité de " +
                "datos abiertos del MINGOB con participación de organizaciones de sociedad civil.",
                Mingob, "2022-02", "2022-06"),

            Commitment(2, "Actualización participativa del Plan de Gobierno Digital 2021-2026",
                "Las acciones del Plan de Gobierno Digital 2021-2026 aún no tienen un impacto directo en la población, y la " +
                "brecha digital obliga a ofrecer servicios híbridos. Un grupo de trabajo con academia, iniciativa privada, " +
                "centros de pensamiento y organizaciones de sociedad civil actualizará el plan de forma participativa.",
                Gae, "2022-01", "2023-06"),
            Milestone(2, 1, "Actualización del Plan de Gobierno Digital",
                "Actualización del Plan de Gobierno Digital 2021-2026 con participación de academia, centros de pensamiento, " +
                "instituciones públicas y sociedad civil, y lanzamiento del plan actualizado.",
                Gae, "2022-01", "2023-06"),
            Milestone(2, 2, "Índices nacionales de gobierno digital y datos abiertos",
                "Elaboración del Índice Nacional de Gobierno Digital y TIC y, por el Ministerio de Gobernación, del Índice " +
                "Nacional de Datos Abiertos; presentación de ambos índices y del Portal de Gobierno Digital en mayo de 2023.",
                Gae, "2022-01", "2023-05"),

            Commitment(3, "Promoción de la Gran Cruzada Nacional por la Nutrición",
                "Según la Encuesta Nacional de Salud Materno Infantil 2014-2015, el 46.5 % de las niñas y los niños menores " +
                "de cinco años padece desnutrición crónica. El compromiso promueve la Gran Cruzada Nacional por la Nutrición " +
                "con espacios de diálogo, publicación de datos abiertos y participación de la sociedad civil en el monitoreo " +
                "de las acciones intersectoriales.",
                Sesan, "2022-01", "2023-08"),
            Milestone(3, 1, "Publicación de datos abiertos",
                "Publicación de datos en el portal de datos abiertos, coordinada por el Comité de Datos Abiertos de la " +
                "institución, conformado previamente mediante nombramiento oficial de las autoridades superiores.",
                Sesan, "2022-01", "2022-12"),
            Milestone(3, 2, "Reactivación del Comité Técnico Interinstitucional",
                "Reactivación del Comité Técnico Interinstitucional de Enlace -CTI-, en el que participará la sociedad civil " +
                "para monitorear y evaluar las actividades intersectoriales realizadas en todos los niveles territoriales.",
                Sesan, "2022-01", "2022-12"),
            Milestone(3, 3, "Formación en gobernanza de la seguridad alimentaria",
                "Procesos de formación virtuales y presenciales sobre gobernanza en seguridad alimentaria y nutricional y " +
                "sobre la estrategia de la Gran Cruzada Nacional por la Nutrición, dirigidos a colaboradores, funcionarios " +
                "públicos y sociedad civil, para el reconocimiento del derecho humano a una alimentación adecuada.",
                Sesan, "2022-01", "2023-08"),

            Commitment(4,
                "Elaborar una herramienta digital de consulta que transparente la gestión del Ministerio de Educación, " +
                "que permita identificar información relevante, con indicadores definidos de forma colaborativa",
                "El portal del Ministerio de Educación no tiene un espacio de transparencia y rendición de cuentas fácil de " +
                "encontrar y de entender. Se desarrollará una herramienta digital de consulta con información accesible, " +
                "comprensible y actualizada al menos dos veces al año.",
                Mineduc, "2022-01", "2023-08"),
            Milestone(4, 1, "Evaluación de necesidades de información",
                "Realizar una evaluación de las necesidades de información de todos los usuarios, dar seguimiento a la " +
                "incorporación de tecnologías de la información y la comunicación y crear un repositorio de los pactos " +
                "colectivos vigentes en los últimos cinco años.",
                Mineduc, "2022-01", "2022-02"),
            Milestone(4, 2, "Espacio de transparencia y rendición de cuentas",
                "Crear dentro del portal web del Ministerio de Educación el espacio de transparencia y rendición de cuentas " +
                "que responde a este compromiso.",
                Mineduc, "2022-01", "2022-05"),
            Milestone(4, 3, "Recopilación de información del sector educativo",
                "Realizar la recopilación de información del sector educativo.",
                Mineduc, "2022-04", "2022-06"),
            Milestone(4, 4, "Datos abiertos del sector educativo",
                "Actualizar y publicar en formato abierto, con visualización interactiva, datos del sector educativo " +
                "desagregados por género, ubicación geográfica y nivel educativo.",
                Mineduc, "2022-07", "2022-07"),

            Commitment(5, "Fortalecimiento de los procesos de transparencia y rendición de cuentas en salud",
                "La sección de datos abiertos del portal del MSPAS no cumple con el formato de datos abiertos y no se publica " +
                "el avance físico ni la recepción de las obras de infraestructura de salud. El compromiso fortalece esa " +
                "sección, publica información de infraestructura e integra una mesa técnica con sociedad civil sobre los " +
                "indicadores de la Iniciativa de Transparencia en el Sector de la Construcción (CoST).",
                Mspas, "2022-01", "2023-08"),
            Milestone(5, 1, "Datos de infraestructura en formato abierto",
                "Desarrollar en formato de datos abiertos la sección «datos de salud» del portal oficial del MSPAS sobre " +
                "infraestructura que genera capital fijo.",
                Mspas, "2022-01", "2023-05"),
            Milestone(5, 2, "Lineamientos para la recepción de obras",
                "Elaborar lineamientos para la recepción de obras de infraestructura de salud.",
                Mspas, "2022-06", "2023-05"),
            Milestone(5, 3, "Mesa técnica de infraestructura de salud",
                "Integrar una mesa técnica de análisis de la infraestructura de salud y de las recomendaciones de la " +
                "iniciativa de Transparencia en Infraestructura, y presentar un informe de las acciones realizadas.",
                Mspas, "2022-06", "2023-08"),

            Commitment(6,
                "Acciones de transparencia, rendición de cuentas y socialización para fortalecer los esfuerzos por el " +
                "ambiente, reducir las emisiones de GEI que aumentan los efectos adversos del cambio climático y proteger " +
                "la biodiversidad del país",
                "Guatemala tiene un alto riesgo ante los efectos del cambio climático, y faltan datos estadísticos y " +
                "conocimiento ciudadano sobre la ejecución y el presupuesto de las políticas ambientales. El compromiso " +
                "socializa las acciones de los compromisos de París y rinde cuentas mediante el Sistema Nacional de " +
                "Información sobre Cambio Climático y los estudios de impacto ambiental.",
                Marn, "2022-01", "2023-08"),
            Milestone(6, 1, "Sistema Nacional de Información sobre Cambio Climático",
                "Fortalecimiento del Sistema Nacional de Información sobre Cambio Climático: información para la " +
                "transparencia y la acción climática, con un informe anual en julio de 2023 disponible en el portal del MARN.",
                Marn, "2022-01", "2023-08"),
            Milestone(6, 2, "Formación y sensibilización ambiental",
                "Procesos de formación con el aval de la FAUSAC y articulación de la divulgación y sensibilización con los " +
                "sectores señalados en las políticas ambientales, con informes en septiembre de 2022 y mayo de 2023.",
                Marn, "2022-01", "2023-08"),
            Milestone(6, 3, "Instrumentos de evaluación ambiental",
                "Formación y actualización de las unidades ejecutoras sobre los instrumentos de evaluación ambiental para " +
                "proyectos de infraestructura pública, conforme a la Resolución 18-2019 del MINFIN, con informes en agosto " +
                "de 2022 y julio de 2023.",
                Marn, "2022-01", "2023-08"),
            Milestone(6, 4, "Sistemas de información sobre biodiversidad",
                "Fortalecimiento de iNaturalistGT y del Sistema Nacional de Información sobre Diversidad Biológica " +
                "(SNIBgt), que apoyan la gestión, el conocimiento y la valoración de la diversidad biológica y las áreas " +
                "protegidas de Guatemala.",
                "Consejo Nacional de Áreas Protegidas -CONAP-", "2022-01", "2023-08"),

            Commitment(7,
                "Realización de acciones orientadas a la aplicación del Plan de Acción de la Política Nacional de Empleo " +
                "Digno 2017-2032",
                "Según la Encuesta Nacional de Empleo e Ingresos 2021, el 70.8 % de la población ocupada trabaja en la " +
                "informalidad, y la falta de empleo digno alimenta la migración irregular. El compromiso facilita el acceso " +
                "a trabajo temporal en el extranjero mediante el Programa de Trabajo Temporal del MINTRAB y publica " +
                "estadísticas sobre esa movilidad laboral regular.",
                Mintrab, "2022-01", "2023-08"),
            Milestone(7, 1, "Plataforma digital Movilidad Laboral",
                "Creación de la plataforma digital Movilidad Laboral para el registro, reclutamiento y perfilamiento de " +
                "candidatos del Programa de Trabajo Temporal del Departamento de Movilidad Laboral del MINTRAB.",
                Mintrab, "2021-08", "2022-02"),
            Milestone(7, 2, "Informes sobre la demanda laboral",
                "Elaboración de informes, en la plataforma Movilidad Laboral, sobre la situación, caracterización y " +
                "tendencias de la demanda laboral en los principales destinos de los participantes del Programa de Trabajo " +
                "Temporal.",
                Mintrab, "2022-03", "2023-08"),
            Milestone(7, 3, "Estadísticas de perfiles de trabajadores",
                "Generación de estadísticas sobre los perfiles de las personas que migran de forma regular para trabajar " +
                "temporalmente en el extranjero, según la base de datos de la plataforma Movilidad Laboral.",
                Mintrab, "2022-03", "2023-08"),
            Milestone(7, 4, "Herramienta de reportes bimestrales",
                "Creación de una herramienta de reportes bimestrales en la plataforma Movilidad Laboral sobre la ejecución " +
                "del Programa de Trabajo Temporal: empleadores, solicitantes, personas vinculadas, país de destino, tipo de " +
                "empleo, salario promedio y presupuesto invertido.",
                Mintrab, "2022-03", "2023-08"),

            // The plan gives this commitment's milestones an end month only.
            Commitment(8,
                "Diseño de estrategia y plan de coordinación interinstitucional y articulación de programas para la " +
                "reducción de la migración irregular",
                "La migración irregular es un problema regional, y el Estado necesita fortalecer la gestión " +
                "interinstitucional para atender un flujo migratorio recurrente. El compromiso promueve modelos de " +
                "gobernanza migratoria y mecanismos de coordinación interinstitucional con apoyo de organizaciones sociales.",
                Conamigua, "2022-06", "2023-08"),
            Milestone(8, 1, "Mesa Multisectorial de Atención a la Migración",
                "Conformación de una Mesa Multisectorial de Atención a la Migración (MMM) que evalúe de forma sistemática y " +
                "periódica las causas, impactos y tendencias de la migración irregular desde una perspectiva territorial, " +
                "étnica y socioeconómica, y proponga medidas para proteger los derechos humanos de la población migrante.",
                Conamigua, null, "2023-07"),
            Milestone(8, 2, "Estrategia de coordinación interinstitucional",
                "Diseño, por la MMM, de una estrategia de coordinación interinstitucional para atender con pertinencia " +
                "territorial, social y étnica a los grupos más vulnerables de las zonas con mayor emigración irregular.",
                Conamigua, null, "2023-07"),
            Milestone(8, 3, "Rendición de cuentas en el portal de CONAMIGUA",
                "Rendición de cuentas en el portal institucional de CONAMIGUA sobre las acciones de la MMM y las actividades " +
                "de coordinación interinstitucional realizadas.",
                Conamigua, null, "2023-07"),

            // The plan's header for this commitment (dates, lead institution) is missing; CONADI leads every milestone.
            Commitment(9,
                "Seguimiento a la implementación de un sistema de certificación de personas con discapacidad, en respuesta " +
                "a la observación final 9 del Comité sobre los Derechos de las Personas con Discapacidad de la Organización " +
                "de las Naciones Unidas -ONU- sobre el informe inicial de Guatemala",
                "Guatemala no tiene un sistema que permita certificar a las personas con discapacidad, lo que limita el " +
                "reconocimiento de los derechos de la Convención sobre los Derechos de las Personas con Discapacidad. El " +
                "compromiso da seguimiento y apoya la implementación de un Sistema Nacional de Certificación, y lo promueve " +
                "y socializa.",
                Conadi, null, null),
            Milestone(9, 1, "Grupos de trabajo de alto nivel",
                "Creación y seguimiento de grupos de trabajo de alto nivel con las entidades públicas vinculadas a la ruta " +
                "crítica de la certificación de personas con discapacidad, para coordinar acciones interinstitucionales.",
                Conadi, "2022-05", "2023-01"),
            Milestone(9, 2, "Seguimiento a la iniciativa de ley 5463",
                "Informe de las acciones de seguimiento ante el Congreso de la República para la aprobación de la iniciativa " +
                "de Ley de Certificación Biopsicosocial de las personas con discapacidad (registro 5463), y su socialización " +
                "con actores institucionales y sociales.",
                Conadi, "2022-01", "2023-05"),
            Milestone(9, 3, "Resultados del plan piloto en hospitales",
                "Informe de seguimiento y socialización, en espacios públicos y medios electrónicos, de los resultados del " +
                "plan piloto del Sistema Nacional de Certificación de Personas con Discapacidad en los hospitales del país.",
                Conadi, "2022-01", "2023-05"),

            Commitment(10,
                "Monitoreo nacional y participativo de las convenciones internacionales en materia de transparencia y " +
                "anticorrupción",
                "No se han institucionalizado mecanismos de seguimiento de la Convención de las Naciones Unidas contra la " +
                "Corrupción, de la Convención Interamericana contra la Corrupción ni de las recomendaciones recibidas. El " +
                "compromiso coordina su implementación y una evaluación participativa de su grado de cumplimiento, con " +
                "participación activa de la sociedad civil.",
                Cpcc, "2022-01", "2023-08"),
            Milestone(10, 1, "Mesas de trabajo por convención",
                "Convocar a las instituciones públicas con competencia en la materia para conformar dos mesas " +
                "multisectoriales, una por convención, que den seguimiento a su implementación y a las recomendaciones de " +
                "sus mecanismos de seguimiento.",
                Cpcc, "2022-01", "2023-08"),
            Milestone(10, 2, "Informe de cumplimiento de recomendaciones",
                "Generar un informe sobre el cumplimiento de las recomendaciones hechas a Guatemala en el marco de ambas " +
                "convenciones y de sus mecanismos de examen y de seguimiento.",
                Cpcc, "2022-01", "2022-08"),
            Milestone(10, 3, "Consulta abierta del informe",
                "Realizar una consulta abierta del informe de cumplimiento en las mesas de ambas convenciones, en un sitio " +
                "web y en eventos con personas expertas, buscando la participación de la ciudadanía, mujeres, pueblos " +
                "indígenas, personas con discapacidad y otros sectores de la sociedad civil.",
                Cpcc, "2022-09", "2022-12"),

            // The draft used the commitment's earlier name, which the June 2022 revision changed (see V2).
            Commitment(11,
                "Capacitación y diagnóstico para la implementación del Estándar de Datos para las Contrataciones Abiertas " +
                "en infraestructura",
                "Las instituciones públicas conocen poco la normativa que orienta el cumplimiento del estándar internacional " +
                "de datos abiertos en infraestructura (OC4IDS), y los portales publican pocos datos y documentos de las " +
                "etapas de las obras públicas. El compromiso organiza una capacitación anual especializada para los entes " +
                "rectores y las unidades ejecutoras de obra pública del gobierno central.",
                Gae, "2022-01", "2023-08"),
            // The plan has a single milestone for this commitment.
            Milestone(11, 1, "Taller anual de capacitación sobre OC4IDS",
                "Realización de un taller anual de capacitación para el sector público sobre el estándar de datos abiertos " +
                "en infraestructura (OC4IDS), con coordinación interinstitucional de la Comisión Presidencial de Gobierno " +
                "Abierto y Electrónico.",
                Gae + " y CoST Guatemala", "2022-01", "2023-08"),

            Commitment(12, "Mejorar los mecanismos de información hacia la divulgación sistemática de datos EITI en Guatemala",
                "Guatemala publica informes EITI cada dos años, pero la ciudadanía no tiene acceso directo y constante a " +
                "datos de calidad sobre la industria extractiva. El compromiso desarrollará o adaptará una plataforma de " +
                "reporte en línea para recopilar y publicar de forma sistemática los datos de empresas y entidades de gobierno.",
                MemEiti, "2022-01", "2023-08"),
            Milestone(12, 1, "Software para la divulgación sistemática",
                "Desarrollo o adquisición de software para mejorar la divulgación sistemática de datos, con el apoyo del " +
                "Secretariado Internacional de EITI mediante el proyecto de la plataforma de reporte en línea de Colombia.",
                MemEiti, "2022-07", "2022-10"),
            Milestone(12, 2, "Coordinación y capacitación del Grupo Multipartícipe",
                "Coordinación interinstitucional del Grupo Multipartícipe (GMP) de EITI Guatemala, capacitación para la " +
                "entrega de información y pruebas del sistema.",
                MemEiti, "2022-11", "2023-06"),
            Milestone(12, 3, "Lanzamiento de la plataforma",
                "Lanzamiento de la Plataforma de Reporte en Línea, alojada en los servidores de un miembro del GMP, " +
                "idealmente el Ministerio de Energía y Minas.",
                MemEiti, "2023-07", "2023-08"),
        ]);

    public static readonly DocumentVersion ActionPlanDraftV2 = ReviseDraft(ActionPlanDraftV1);

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Mid-term self-assessment of the 2016-2018 plan, published for consultation from 7 to 29 September 2017.
    // ---------------------------------------------------------------------------------------------------------------

    public static readonly Document SelfAssessment = new(
        "autoevaluacion-2017", "informe-autoevaluacion", DocumentKind.Report,
        "Informe de autoevaluación de medio término del Plan de Acción Nacional de Gobierno Abierto 2016-2018", null, 1);

    public static readonly DocumentVersion SelfAssessmentV1 = new(
        Number: 1,
        PublishedAt: new DateTimeOffset(2017, 9, 7, 15, 0, 0, TimeSpan.Zero),
        Changes: [],
        Sections:
        [
            Chapter(1, null, "1", "Introducción",
                "Guatemala se unió a la Alianza para el Gobierno Abierto el 27 de julio de 2011. El Tercer Plan de Acción " +
                "Nacional de Gobierno Abierto 2016-2018 tiene 22 compromisos y 92 metas a cargo de 19 entidades, y fue " +
                "aprobado por la Mesa Técnica de Gobierno Abierto el 11 de agosto de 2016. La Mesa, restablecida en abril de " +
                "2016, reúne a 70 entidades públicas, organizaciones de sociedad civil y observadores."),
            Chapter(2, null, "2", "Proceso del Plan de Acción Nacional",
                "La metodología, aprobada por la Mesa Técnica el 12 de mayo de 2016, se organizó en cinco ejes: acceso a la " +
                "información pública y archivos institucionales, innovación tecnológica, participación ciudadana, rendición " +
                "de cuentas y transparencia fiscal. Tuvo cuatro etapas: la campaña «Yo soy Gobierno Abierto», los foros de " +
                "consulta ciudadana, las mesas temáticas y la evaluación de las propuestas con el método SMART."),
            Chapter(3, "s2", "2.A", "Participación y cocreación a lo largo del ciclo de la AGA",
                "El primer plan (2012) se elaboró sin participación ciudadana y en el segundo participaron tres " +
                "organizaciones de sociedad civil. En el tercero, la participación pasó de 12 a 70 entidades, y las 88 " +
                "propuestas recibidas se consolidaron por consenso en 22 compromisos agrupados en cinco ejes."),
            Chapter(4, "s2", "2.B", "Participación y cocreación durante la elaboración del plan",
                "La convocatoria pública se hizo el 17 de mayo de 2016 y el espacio de opinión en el sitio web estuvo abierto " +
                "hasta el 14 de junio. Hubo foros de consulta en la Ciudad de Guatemala, Quetzaltenango y Cobán, y cinco " +
                "mesas temáticas que sesionaron dos veces entre el 15 de junio y el 7 de julio, con diez facilitadores " +
                "capacitados. El plan fue validado y aprobado el 11 de agosto de 2016."),
            Chapter(5, "s2", "2.C", "Participación en la implementación y el monitoreo",
                "Se conformaron 15 grupos de trabajo, convocados por las instituciones responsables, para dar seguimiento a " +
                "los 22 compromisos. La Mesa Técnica sesiona cada mes y el Punto de Contacto se reúne mensualmente con " +
                "organizaciones de sociedad civil y observadores; agendas y ayudas de memoria se publican en " +
                "www.gobiernoabierto.gob.gt."),
            Chapter(6, null, "3", "Recomendaciones del Mecanismo de Revisión Independiente",
                "Con base en la evaluación de medio término del segundo plan, el MRI recomendó enfocar el plan en menos " +
                "reformas pero más ambiciosas, crear un espacio de colaboración entre gobierno y sociedad civil y promover " +
                "medios de verificación e indicadores de cumplimiento. Los compromisos con avance sustancial o completo " +
                "pasaron del 14 % en el primer plan al 63 % en el segundo."),
            Chapter(7, null, "4", "Implementación de los 22 compromisos",
                "Cada entidad responsable reportó el avance de sus compromisos con la plantilla de autoevaluación, de julio a " +
                "septiembre de 2017: descripción, metas, nivel de cumplimiento (no iniciado, iniciado, sustancial, completo) " +
                "y medios de verificación. Por ejemplo, el compromiso 4 llevó al Congreso la iniciativa 5210 de reformas a la " +
                "Ley de Acceso a la Información Pública, y el compromiso 12 busca institucionalizar la opinión ciudadana " +
                "sobre las iniciativas de ley."),
            Chapter(8, null, "5", "Avances en los criterios de elegibilidad",
                "Guatemala ingresó a la AGA en 2011 cumpliendo los criterios mínimos de elegibilidad. La cocreación e " +
                "implementación del plan 2016-2018 dieron lugar a una agenda de transparencia, rendición de cuentas, " +
                "anticorrupción y desarrollo en los cinco ejes del plan."),
            Chapter(9, null, "6", "Intercambio de conocimientos y aprendizaje",
                "El Punto de Contacto y organizaciones de sociedad civil participaron en la Cumbre Global de la AGA en París " +
                "(diciembre de 2016) y en la Cumbre Regional de las Américas en Montevideo (mayo de 2017). Se compartieron " +
                "experiencias con Panamá, Costa Rica y Honduras, y hubo tres encuentros de Gobierno Abierto del Triángulo Norte."),
            Chapter(10, null, "7", "Conclusiones, otras iniciativas y próximos pasos",
                "Entre las lecciones aprendidas están analizar presupuesto y plazos antes de asumir un compromiso y " +
                "presupuestar con anticipación la cocreación del siguiente plan. Como próximos pasos se propone difundir los " +
                "avances, reforzar los compromisos con avance iniciado o sustancial y preparar el Cuarto Plan de Acción " +
                "Nacional 2018-2020."),
        ]);

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Bill 5210, the access-to-information reform. The mid-term self-assessment records that it was taken up by the
    //    plenary on 29 November 2016 and received by the commission on 1 December 2016, with no report (dictamen) by
    //    September 2017. Its articles are not in the sources: the ones below are invented for local development.
    // ---------------------------------------------------------------------------------------------------------------

    public static readonly Document Bill5210 = new(
        "iniciativa-5210", "iniciativa-5210", DocumentKind.Bill,
        "Iniciativa 5210: reformas al Decreto 57-2008, Ley de Acceso a la Información Pública (texto de ejemplo)",
        new BillInfo("5210", "Comisión de Legislación y Puntos Constitucionales", "En comisión", new DateOnly(2016, 11, 29)),
        1);

    // Published when the commission received the bill, the moment citizen opinion becomes useful to it.
    public static readonly DocumentVersion Bill5210V1 = new(
        Number: 1,
        PublishedAt: new DateTimeOffset(2016, 12, 1, 15, 0, 0, TimeSpan.Zero),
        Changes: [],
        Sections:
        [
            Article(1, "Objeto",
                "Esta ley reforma el Decreto 57-2008 del Congreso de la República, Ley de Acceso a la Información Pública, " +
                "para fortalecer el derecho humano de acceso a la información pública, crear un órgano garante y establecer " +
                "un sistema de archivos institucionales."),
            Article(2, "Información pública de oficio en formatos abiertos",
                "Los sujetos obligados publicarán la información pública de oficio en formatos abiertos, reutilizables y " +
                "legibles por máquina, y la actualizarán al menos una vez al mes."),
            Article(3, "Plazo de respuesta",
                "Las solicitudes de información se responderán en un plazo máximo de ocho días hábiles, prorrogable una " +
                "sola vez por seis días hábiles cuando el volumen o la complejidad de la información lo justifique, con " +
                "notificación motivada a quien la solicitó."),
            Article(4, "Órgano garante",
                "Se crea el Instituto Nacional de Acceso a la Información Pública, con autonomía funcional, técnica y " +
                "presupuestaria, encargado de promover, supervisar y garantizar el cumplimiento de esta ley."),
            Article(5, "Recurso de revisión",
                "Quien reciba una negativa total o parcial podrá interponer recurso de revisión ante el Instituto, que " +
                "resolverá en un plazo de quince días hábiles. Su resolución será de cumplimiento obligatorio para el sujeto " +
                "obligado."),
            Article(6, "Sistema de archivos institucionales",
                "Se crea el Sistema Nacional de Archivos Institucionales, que normará la organización, conservación y " +
                "digitalización de los documentos públicos. Ningún documento público podrá destruirse sin dictamen previo " +
                "del Instituto."),
            Article(7, "Idiomas y accesibilidad",
                "Las solicitudes podrán presentarse en cualquiera de los idiomas nacionales y por medios electrónicos. Los " +
                "sujetos obligados garantizarán formatos accesibles para las personas con discapacidad."),
            Article(8, "Vigencia",
                "El presente decreto entrará en vigencia ocho días después de su publicación en el Diario Oficial. El " +
                "Instituto deberá integrarse dentro de los seis meses siguientes."),
        ]);

    // ---------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The June 2022 revision of the draft. Most edits follow the change logs the plan publishes for each commitment;
    /// milestone 10.4 is shown as added at a table's request so the sample includes an insertion.
    /// </summary>
    static DocumentVersion ReviseDraft(DocumentVersion v1)
    {
        Section Get(string id) => v1.FindSection(id) ?? throw new InvalidOperationException($"Section '{id}' is not in version 1.");

        var replacements = new Dictionary<string, Section>
        {
            ["c1-h3"] = Get("c1-h3") with
            {
                Text = "Se realizarán dos procesos de formación y actualización en datos abiertos para sociedad civil, " +
                       "funcionarios públicos, centros de pensamiento, academia y medios de comunicación, entre otros " +
                       "(definición de contenidos y realización de las capacitaciones).",
            },
            ["c1-h4"] = WithDates(Get("c1-h4"), end: "2022-08"),
            ["c2"] = WithDates(Get("c2"), end: "2023-05"),
            ["c2-h1"] = WithDates(Get("c2-h1"), end: "2023-05"),
            ["c3-h2"] = Get("c3-h2") with
            {
                Title = "Sociedad civil en el Comité Técnico Interinstitucional",
                Text = "Promover la participación de representantes de la sociedad civil en el Comité Técnico " +
                       "Interinstitucional de Enlace, para el monitoreo y la evaluación de las actividades intersectoriales " +
                       "realizadas en todos los niveles territoriales.",
            },
            ["c11"] = Get("c11") with
            {
                Title = "Capacitación para la implementación del Estándar de Datos Abiertos en Infraestructura -OC4IDS-",
            },
            ["c11-h1"] = Get("c11-h1") with
            {
                Title = "Capacitación anual en modalidad webinar sobre OC4IDS",
                Text = "Capacitación anual en modalidad webinar para el sector público sobre el estándar de datos abiertos " +
                       "en infraestructura (OC4IDS), organizada e impartida por CoST Internacional y su capítulo " +
                       "guatemalteco, con apoyo técnico de Open Contracting Partnership y de la Alianza para el Gobierno " +
                       "Abierto y coordinación interinstitucional de la Comisión Presidencial de Gobierno Abierto y Electrónico.",
            },
            // The plan's header reads 1.7.2023, but its change log and milestone 12.1 both give July 2022.
            ["c12"] = WithDates(Get("c12"), start: "2022-07"),
        };

        var roadmap = Milestone(10, 4, "Hoja de ruta por convención",
            "Formular y validar una hoja de ruta para cada convención, para dar seguimiento a los compromisos y " +
            "recomendaciones que no se han cumplido.",
            Cpcc, "2022-09", "2022-12");

        var sections = v1.Sections
            .Select(s => replacements.GetValueOrDefault(s.Id, s))
            .SelectMany(s => s.Id == "c10-h3" ? [s, roadmap] : new[] { s })
            .ToList();

        return new DocumentVersion(
            Number: 2,
            PublishedAt: new DateTimeOffset(2022, 6, 30, 18, 0, 0, TimeSpan.Zero),
            Changes:
            [
                new("c1-h3", "Se precisa que serán dos procesos de formación y actualización en datos abiertos.",
                    "Mesa temática de gobierno digital y modernización de la gestión pública"),
                new("c1-h4", "La fecha de finalización del hito pasa de junio a agosto de 2022.", Mingob),
                new("c2", "La fecha de finalización del compromiso pasa de junio a mayo de 2023.", Gae),
                new("c2-h1", "La fecha de finalización del hito pasa de junio a mayo de 2023, junto con la del compromiso.", Gae),
                new("c3-h2", "El hito ya no reactiva el Comité Técnico Interinstitucional de Enlace: promueve la participación " +
                             "de la sociedad civil en él.",
                    "Mesa temática de educación, salud, seguridad alimentaria y nutricional"),
                new(roadmap.Id, "Se agrega el hito 10.4: una hoja de ruta por convención para las recomendaciones pendientes.",
                    "Mesa temática de gestión y seguimiento de iniciativas, tratados y convenios internacionales en " +
                    "transparencia, anticorrupción y rendición de cuentas"),
                new("c11", "Cambia el nombre del compromiso: se centra en la capacitación sobre el estándar OC4IDS.", "CoST Guatemala"),
                new("c11-h1", "El taller anual pasa a ser una capacitación anual en modalidad webinar impartida por CoST Internacional.",
                    "CoST Guatemala"),
                new("c12", "La fecha de inicio del compromiso pasa de enero a julio de 2022.", MemEiti),
            ],
            Sections: sections);
    }

    static Section Commitment(int number, string title, string text, string leadInstitution, string? start, string? end)
    {
        var attributes = new Dictionary<string, string> { ["leadInstitution"] = leadInstitution };
        if (start is not null) attributes["start"] = start;
        if (end is not null) attributes["end"] = end;
        return new($"c{number}", null, "commitment", $"{number}", title, text, attributes);
    }

    static Section Milestone(int commitment, int number, string title, string text, string responsible, string? start, string end)
    {
        var attributes = new Dictionary<string, string> { ["responsible"] = responsible };
        if (start is not null) attributes["start"] = start;
        attributes["end"] = end;
        attributes["status"] = NotStarted;
        return new($"c{commitment}-h{number}", $"c{commitment}", "milestone", $"{commitment}.{number}", title, text, attributes);
    }

    static Section Chapter(int index, string? parentId, string number, string title, string text) =>
        new($"s{index}", parentId, "chapter", number, title, text);

    static Section Article(int number, string title, string text) =>
        new($"art-{number}", null, "article", $"{number}", title, text);

    /// <summary>A copy with new dates; version 1's attributes are never mutated, since both versions stay readable.</summary>
    static Section WithDates(Section section, string? start = null, string? end = null)
    {
        var attributes = new Dictionary<string, string>(section.Attributes ?? new Dictionary<string, string>());
        if (start is not null) attributes["start"] = start;
        if (end is not null) attributes["end"] = end;
        return section with { Attributes = attributes };
    }
}
