using System.Runtime.InteropServices;

namespace ExperimentDsl.Runtime.Files;

/// <summary>
/// The values of Linux's <c>open(2)</c> flags and error numbers that the direct file calls
/// (<see cref="UnixFileCalls"/>, <see cref="UnixFileWrites"/>) use, written down once. They are the
/// same on x64 and arm64 except <see cref="NoFollow"/>.
/// </summary>
internal static class LinuxAbi
{
    public const int ReadOnly = 0;
    public const int WriteOnly = 0x1;
    public const int Create = 0x40;
    public const int Exclusive = 0x80;
    public const int Append = 0x400;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;

    /// <summary>O_NOFOLLOW: the one flag whose value differs between the architectures .NET runs on.</summary>
    public static int NoFollow => RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    public const int Eperm = 1;
    public const int Enoent = 2;
    public const int Eintr = 4;
    public const int Enxio = 6;
    public const int Eacces = 13;
    public const int Eexist = 17;
    public const int Enametoolong = 36;
    public const int Eloop = 40;
}
