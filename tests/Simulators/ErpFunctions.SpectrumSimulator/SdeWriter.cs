using System.Globalization;
using System.Security;
using System.Text;
using ErpFunctions.Spectrum;

namespace ErpFunctions.Simulators.Spectrum;

/// <summary>A field of a response row. A null value renders <c>&lt;X/&gt;</c>; an empty one <c>&lt;X&gt;&lt;/X&gt;</c>.</summary>
public readonly record struct SdeField(string Name, string? Value);

/// <summary>Renders responses in the shape of live Data Exchange captures: ProIV's envelope, single quotes and all.</summary>
public static class SdeWriter
{
    private const string EnvelopeStart =
        "<SOAP-ENV:Envelope SOAP-ENV:encodingStyle='http://schemas.xmlsoap.org/soap/encoding/' "
        + "xmlns:xsd='http://www.w3.org/2001/XMLSchema' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' "
        + "xmlns:SOAP-ENV='http://schemas.xmlsoap.org/soap/envelope/'><SOAP-ENV:Header></SOAP-ENV:Header><SOAP-ENV:Body>";

    private const string EnvelopeEnd = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";

    public static string Rows(SpectrumService service, IEnumerable<IReadOnlyList<SdeField>> rows)
    {
        var wrapper = service.RowWrapperElement;
        var text = new StringBuilder(EnvelopeStart)
            .Append("<nis:").Append(service.Name)
            .Append("Response xmlns:nis='http://www.northgate-is.com/proiv/webservices/types'><returnArray><returnData>\n\n<")
            .Append(wrapper).Append(">\n");

        foreach (var row in rows)
        {
            text.Append("    <response>\n");
            foreach (var field in row)
            {
                text.Append("        ");
                if (field.Value is null)
                {
                    text.Append('<').Append(field.Name).Append("/>\n");
                }
                else
                {
                    text.Append('<').Append(field.Name).Append('>').Append(SecurityElement.Escape(field.Value))
                        .Append("</").Append(field.Name).Append(">\n");
                }
            }

            text.Append("    </response>\n");
        }

        return text.Append("</").Append(wrapper).Append(">\n</returnData></returnArray></nis:").Append(service.Name)
            .Append("Response>").Append(EnvelopeEnd).ToString();
    }

    public static string Fault(string faultCode, string faultString) =>
        EnvelopeStart + "<SOAP-ENV:Fault><faultcode>" + faultCode + "</faultcode><faultstring>"
        + SecurityElement.Escape(faultString) + "</faultstring></SOAP-ENV:Fault>" + EnvelopeEnd;

    /// <summary>Amounts as Spectrum prints them: <c>.00</c>, <c>859.51</c>, <c>-12.50</c>.</summary>
    public static string Amount(decimal value)
    {
        var digits = Math.Abs(value).ToString("0.00", CultureInfo.InvariantCulture);
        if (digits.StartsWith("0.", StringComparison.Ordinal))
        {
            digits = digits[1..];
        }

        return value < 0 ? "-" + digits : digits;
    }

    /// <summary>The WSDL a live server publishes for a Get service at <c>/wsdls/&lt;Service&gt;.jws</c>.</summary>
    public static string Wsdl(SpectrumService service, string endpoint)
    {
        var parameters = new[] { "Authorization_ID", "GUID" }.Concat(service.Parameters)
            .Select(p => $"<element nillable='false' name='{p}' type='xsd:string'></element>");
        var name = service.Name;
        return $"""
            <definitions targetNamespace='http://www.northgate-is.com/proiv/webservices/wsdl' xmlns:tns='http://www.northgate-is.com/proiv/webservices/wsdl' xmlns:xsd-nis='http://www.northgate-is.com/proiv/webservices/types' name='{name}' xmlns:xsd='http://www.w3.org/2001/XMLSchema' xmlns:soap='http://schemas.xmlsoap.org/wsdl/soap/' xmlns='http://schemas.xmlsoap.org/wsdl/'>
             <!--SPECTRUM 20151116  -->
              <types>
                <schema targetNamespace='http://www.northgate-is.com/proiv/webservices/types' xmlns='http://www.w3.org/2001/XMLSchema'><element name='{name}'><complexType><sequence>{string.Concat(parameters)}</sequence></complexType></element><element name='{name}Response'><complexType><sequence><element nillable='false' name='returnArray'><complexType><sequence><element nillable='false' name='returnData' maxOccurs='unbounded' minOccurs='0'><complexType><sequence><any></any></sequence></complexType></element></sequence></complexType></element></sequence></complexType></element></schema>
              </types>
              <message name='{name}Input'><part element='xsd-nis:{name}' name='parameters'></part></message>
              <message name='{name}Output'><part element='xsd-nis:{name}Response' name='parameters'></part></message>
              <portType name='{name}PortType'><operation name='{name}'><input message='tns:{name}Input'></input><output message='tns:{name}Output'></output></operation></portType>
              <binding name='{name}SoapBinding' type='tns:{name}PortType'>
                <soap:binding style='document' transport='http://schemas.xmlsoap.org/soap/http'></soap:binding>
                <operation name='{name}'><soap:operation soapAction='{endpoint}'></soap:operation><input><soap:body use='literal'></soap:body></input><output><soap:body use='literal'></soap:body></output></operation>
              </binding>
              <service name='{name}Service'><port name='{name}Port' binding='tns:{name}SoapBinding'><soap:address location='{endpoint}'></soap:address></port></service>
            </definitions>
            """;
    }
}
