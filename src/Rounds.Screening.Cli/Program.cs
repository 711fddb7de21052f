using System.Text;
using Rounds.Screening.CommandLine;

// The first argument names the command; the rest are its own, exactly as `./rounds` received them.
return args.Length == 0
    ? Usage()
    : args[0] switch
    {
        "screen" => Screen(args[1..]),
        "eval" => ScreeningCli.Eval(args[1..], Console.In, Console.Out, Console.Error),
        "screen-train" => ScreeningCli.Train(args[1..], Console.Out, Console.Error),
        _ => Usage(),
    };

static int Usage()
{
    Console.Error.WriteLine("usage: rounds-screen screen|eval|screen-train [options]; add --help after the command for its options.");
    return 2;
}

// Results go out through a buffer of the program's own (ScreeningCli.ScreenBuffered) unless the console writes
// another encoding than UTF-8, which only the console's writer knows how to.
static int Screen(string[] args) =>
    Console.OutputEncoding.CodePage != Encoding.UTF8.CodePage
        ? ScreeningCli.Screen(args, Console.In, Console.Out, Console.Error)
        : ScreeningCli.ScreenBuffered(args, Console.In, Console.OpenStandardOutput(), Console.Error);
