using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;

namespace ExperimentDsl.Generators.Tests.Infrastructure;

/// <summary>
/// Walks a pipeline value's object graph and fails when it reaches a Roslyn object: such a value
/// would root old compilations and defeat caching.
/// </summary>
internal static class ModelGraph
{
    private static readonly Type[] Forbidden =
    [
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation), typeof(SemanticModel),
    ];

    public static void AssertHoldsNoRoslynObjects(object? value, string step)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        Walk(value, step, visited);
    }

    private static void Walk(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !visited.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Type? forbidden = Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type));
        Assert.True(forbidden is null, $"{path} holds a {type.FullName} ({forbidden?.Name})");
        Assert.False(type.FullName?.StartsWith("Microsoft.CodeAnalysis.", StringComparison.Ordinal) == true && type.IsClass,
            $"{path} holds the Roslyn object {type.FullName}");

        if (value is IEnumerable sequence and not IDictionary)
        {
            int i = 0;
            foreach (object? item in sequence)
            {
                Walk(item, $"{path}[{i++}]", visited);
            }
        }

        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                Walk(field.GetValue(value), $"{path}.{field.Name}", visited);
            }
        }
    }
}
