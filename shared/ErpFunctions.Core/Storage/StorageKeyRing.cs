using System.Xml.Linq;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace ErpFunctions.Storage;

/// <summary>
/// ASP.NET Core Data Protection's key ring kept as one blob in the app's storage account, so that every instance reads
/// and writes the session cookies of the others. Each key is added under the blob's ETag: two instances that add a key
/// at the same moment both keep theirs.
/// </summary>
/// <remarks>Data Protection asks synchronously, and seldom (it caches the ring for a day).</remarks>
public sealed class StorageKeyRing(StorageBlobs blobs) : IXmlRepository
{
    private const string BlobName = "data-protection/key-ring.xml";
    private const int MaxAttempts = 10;

    public IReadOnlyCollection<XElement> GetAllElements() => [.. Read().Ring.Elements()];

    public void StoreElement(XElement element, string friendlyName)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (ring, version) = Read();
            ring.Add(element);
            var conditions = version is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
            try
            {
                Blob().Upload(BinaryData.FromString(ring.ToString(SaveOptions.DisableFormatting)), new BlobUploadOptions { Conditions = conditions });
                return;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another instance changed the ring meanwhile: read it again and add this key to theirs.
            }
        }
    }

    private (XElement Ring, ETag? Version) Read()
    {
        try
        {
            var content = Blob().DownloadContent().Value;
            return (XElement.Parse(content.Content.ToString()), content.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (new XElement("repository"), null);
        }
    }

    // Data Protection's interface is synchronous; the container is created once, as every other of the app's.
    private BlobClient Blob() => blobs.GetAsync(StorageBlobs.Keys, CancellationToken.None).GetAwaiter().GetResult().GetBlobClient(BlobName);
}
