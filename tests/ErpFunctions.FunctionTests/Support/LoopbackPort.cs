using System.Net;
using System.Net.Sockets;

namespace ErpFunctions.FunctionTests.Support;

public static class LoopbackPort
{
    /// <summary>A loopback port nothing listens on at the moment.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
