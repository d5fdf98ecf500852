namespace Participa.Domain;

/// <summary>One of Guatemala's 22 departments; <see cref="Code"/> is the INE / ISO 3166-2:GT number.</summary>
public sealed record Department(string Id, int Code, string Name);

public static class Departments
{
    public static readonly IReadOnlyList<Department> All =
    [
        new("guatemala", 1, "Guatemala"),
        new("el-progreso", 2, "El Progreso"),
        new("sacatepequez", 3, "Sacatepéquez"),
        new("chimaltenango", 4, "Chimaltenango"),
        new("escuintla", 5, "Escuintla"),
        new("santa-rosa", 6, "Santa Rosa"),
        new("solola", 7, "Sololá"),
        new("totonicapan", 8, "Totonicapán"),
        new("quetzaltenango", 9, "Quetzaltenango"),
        new("suchitepequez", 10, "Suchitepéquez"),
        new("retalhuleu", 11, "Retalhuleu"),
        new("san-marcos", 12, "San Marcos"),
        new("huehuetenango", 13, "Huehuetenango"),
        new("quiche", 14, "Quiché"),
        new("baja-verapaz", 15, "Baja Verapaz"),
        new("alta-verapaz", 16, "Alta Verapaz"),
        new("peten", 17, "Petén"),
        new("izabal", 18, "Izabal"),
        new("zacapa", 19, "Zacapa"),
        new("chiquimula", 20, "Chiquimula"),
        new("jalapa", 21, "Jalapa"),
        new("jutiapa", 22, "Jutiapa"),
    ];

    static readonly Dictionary<string, Department> ById = All.ToDictionary(d => d.Id, StringComparer.Ordinal);

    public static Department? Find(string id) => ById.GetValueOrDefault(id);
}
