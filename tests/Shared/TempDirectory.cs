namespace ExperimentDsl.Tests.Shared;

/// <summary>A fresh directory under the system temp directory (outside the repository), deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "exd")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A build server or a killed child may still hold a file for a moment; the OS cleans temp later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
