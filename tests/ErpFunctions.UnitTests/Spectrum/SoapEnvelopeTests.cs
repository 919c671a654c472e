using System.Xml.Linq;
using ErpFunctions.Spectrum;

namespace ErpFunctions.UnitTests.Spectrum;

public class SoapEnvelopeTests
{
    private static readonly Guid Guid = Guid.Parse("790acfea-7a35-4934-a76f-0bf90e22b56e");

    [Fact]
    public void Writes_every_declared_parameter_in_wsdl_order_empty_when_not_given()
    {
        var xml = SoapEnvelope.Build(SpectrumService.GetPhase, "AUTH", Guid,
            new Dictionary<string, string> { ["pCompany_Code"] = "ABC", ["pJob_Number"] = "22-208" });

        var call = XDocument.Parse(xml).Root!.Element(SoapEnvelope.Soap + "Body")!.Element(SoapEnvelope.Types + "GetPhase")!;
        call.Elements().Select(e => e.Name.LocalName).Should().Equal(
            "Authorization_ID", "GUID", "pCompany_Code", "pCost_Type", "pJob_Number", "pStatus_Code", "pCost_Center", "pSort_By");
        call.Elements().Select(e => e.Value).Should().Equal(
            "AUTH", "790acfea-7a35-4934-a76f-0bf90e22b56e", "ABC", "", "22-208", "", "", "");
    }

    [Fact]
    public void Declares_xml_and_the_proiv_types_namespace()
    {
        var xml = SoapEnvelope.Build(SpectrumService.GetJobUdf, "AUTH", Guid, new Dictionary<string, string>());

        xml.Should().StartWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        xml.Should().Contain("<GetJobUDF xmlns=\"http://www.northgate-is.com/proiv/webservices/types\">");
    }

    [Fact]
    public void Escapes_values()
    {
        var xml = SoapEnvelope.Build(SpectrumService.GetJob, "A&B<", Guid, new Dictionary<string, string>());

        xml.Should().Contain("<Authorization_ID>A&amp;B&lt;</Authorization_ID>");
    }

    [Fact]
    public void Refuses_a_parameter_the_service_does_not_declare()
    {
        var build = () => SoapEnvelope.Build(SpectrumService.GetJob, "AUTH", Guid,
            new Dictionary<string, string> { ["pJob_Number"] = "22-208" });

        build.Should().Throw<ArgumentException>().WithMessage("*pJob_Number*");
    }
}
