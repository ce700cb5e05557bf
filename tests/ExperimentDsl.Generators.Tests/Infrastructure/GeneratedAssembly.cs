using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>Compiles a compilation with the generated code to memory and runs a check against the loaded assembly.</summary>
internal static class GeneratedAssembly
{
    /// <summary>
    /// Emits <paramref name="compilation"/> (failing the test with its diagnostics when it does not
    /// compile), loads it into a collectible context, passes it to <paramref name="use"/> and unloads it.
    /// </summary>
    public static void Use(Compilation compilation, Action<Assembly> use)
    {
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));

        var context = new AssemblyLoadContext("generated", isCollectible: true);
        try
        {
            image.Position = 0;
            use(context.LoadFromStream(image));
        }
        finally
        {
            context.Unload();
        }
    }
}
