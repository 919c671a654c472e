using System.Xml.Linq;

namespace ErpFunctions.Spectrum;

/// <summary>Builds the SOAP 1.1 document/literal request envelope Spectrum Data Exchange expects.</summary>
public static class SoapEnvelope
{
    public static readonly XNamespace Soap = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Types = "http://www.northgate-is.com/proiv/webservices/types";

    /// <summary>
    /// Every declared parameter is written, empty when not given: the server faults on a missing one.
    /// </summary>
    public static string Build(
        SpectrumService service, string authorizationId, Guid guid, IReadOnlyDictionary<string, string> arguments)
    {
        var unknown = arguments.Keys.Except(service.Parameters, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"{service.Name} does not declare the parameter(s) {string.Join(", ", unknown)}.", nameof(arguments));
        }

        var call = new XElement(Types + service.Name,
            new XElement(Types + "Authorization_ID", authorizationId),
            new XElement(Types + "GUID", guid.ToString()),
            service.Parameters.Select(p => new XElement(Types + p, arguments.GetValueOrDefault(p, ""))));

        var document = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(Soap + "Envelope", new XAttribute(XNamespace.Xmlns + "soap", Soap),
                new XElement(Soap + "Body", call)));

        return document.Declaration + Environment.NewLine + document.ToString(SaveOptions.None);
    }
}
