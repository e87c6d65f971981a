package dev.ccc.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ccc.bus.BusContract.InvalidMessage;
import dev.ccc.bus.BusContract.ProfileInfo;
import dev.ccc.bus.BusContract.ProfileList;
import dev.ccc.bus.BusContract.ProfileOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a user may add to a profile's command is what its options allow, and nothing else. */
class ProfileOptionsTest {
  private static final ProfileInfo CLAUDE =
      new ProfileInfo(
          "claude",
          "Claude Code",
          List.of("ANTHROPIC_API_KEY"),
          true,
          List.of(
              new ProfileOption("--model", "[A-Za-z0-9._-]{1,64}"),
              new ProfileOption("--verbose", null)));

  @Test
  void allowedOptionsWithValuesTheirPatternsAcceptPass() {
    CLAUDE.checkArguments(List.of());
    CLAUDE.checkArguments(List.of("--model", "claude-opus-4-1"));
    CLAUDE.checkArguments(List.of("--verbose", "--model", "sonnet"));
  }

  @Test
  void anythingElseIsRefusedNamingTheArgumentAndWhatIsAllowed() {
    InvalidMessage unknown =
        assertThrows(
            InvalidMessage.class,
            () -> CLAUDE.checkArguments(List.of("--dangerously-skip-permissions")));
    assertTrue(
        unknown.getMessage().contains("'--dangerously-skip-permissions' is not an option"),
        unknown.getMessage());
    assertTrue(unknown.getMessage().contains("--model <"), unknown.getMessage());
    for (List<String> arguments :
        List.of(
            // A value that is an option of the command itself, or a second command.
            List.of("--model", "--dangerously-skip-permissions"),
            List.of("--model", "opus; rm -rf ~"),
            List.of("--model"),
            // A value where an option belongs, and an option given twice.
            List.of("opus"),
            List.of("--model", "opus", "--model", "sonnet"),
            // The option glued to its value is not the option.
            List.of("--model=opus"),
            List.of("--verbose", "yes"),
            List.of("--model", "a\nb"))) {
      assertThrows(
          InvalidMessage.class, () -> CLAUDE.checkArguments(arguments), arguments::toString);
    }
  }

  @Test
  void aProfileWithoutOptionsTakesNoArguments() {
    ProfileInfo shell = new ProfileInfo("shell", "Shell", List.of(), false, List.of());
    InvalidMessage refused =
        assertThrows(InvalidMessage.class, () -> shell.checkArguments(List.of("-c")));
    assertTrue(refused.getMessage().endsWith("it allows none"), refused.getMessage());
  }

  @Test
  void optionsAreAnnouncedAndParsedBack() {
    ProfileList list = new ProfileList(List.of(CLAUDE));
    assertEquals(list, ProfileList.parse(list.toJson()));
  }

  @Test
  void anOptionIsADashedWordWithAValidPattern() {
    for (String name : List.of("model", "---model", "--", "--mo del", "--model=")) {
      assertThrows(InvalidMessage.class, () -> new ProfileOption(name, null), name);
    }
    assertThrows(InvalidMessage.class, () -> new ProfileOption("--model", "[unclosed"));
    assertThrows(
        InvalidMessage.class,
        () ->
            new ProfileInfo(
                "x",
                "X",
                List.of(),
                false,
                List.of(new ProfileOption("-v", null), new ProfileOption("-v", null))));
  }
}
