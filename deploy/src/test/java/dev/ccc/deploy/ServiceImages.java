package dev.ccc.deploy;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What the build makes of each service's image (the {@code jib-maven-plugin} configuration in the
 * poms): its name and tag, the environment and the ports it declares.
 */
final class ServiceImages {
  record Image(String name, String tag, Map<String, String> environment, Set<Integer> ports) {
    String reference() {
      return name + ":" + tag;
    }
  }

  private ServiceImages() {}

  static Map<String, Image> read() {
    Element parent = pom("pom.xml");
    String version = text(parent, "version");
    Element properties = child(parent, "properties");
    String prefix = text(properties, "ccc.image.prefix");
    if (!text(properties, "ccc.image.tag").equals("${project.version}")) {
      throw new IllegalStateException("the image tag is no longer the project's version");
    }
    Map<String, Image> images = new LinkedHashMap<>();
    for (String service : List.of(Services.PTY, Services.API, Services.GATEWAY)) {
      Element pom = pom(service + "/pom.xml");
      Element container = child(jibConfiguration(pom), "container");
      Map<String, String> environment = new LinkedHashMap<>();
      for (Element variable : children(child(container, "environment"))) {
        environment.put(variable.getTagName(), variable.getTextContent().trim());
      }
      Set<Integer> ports = new TreeSet<>();
      for (Element port : children(child(container, "ports"))) {
        ports.add(Integer.parseInt(port.getTextContent().trim()));
      }
      String name = prefix + text(child(pom, "properties"), "ccc.image.name");
      images.put(service, new Image(name, version, environment, ports));
    }
    return images;
  }

  private static Element jibConfiguration(Element pom) {
    for (Element plugin : children(child(child(pom, "build"), "plugins"))) {
      if (text(plugin, "artifactId").equals("jib-maven-plugin")) {
        return child(plugin, "configuration");
      }
    }
    throw new IllegalStateException("no jib-maven-plugin in a service's pom");
  }

  private static Element pom(String relative) {
    try {
      Document document =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(Repository.path(relative).toFile());
      return document.getDocumentElement();
    } catch (IOException | javax.xml.parsers.ParserConfigurationException e) {
      throw new IllegalStateException(e);
    } catch (org.xml.sax.SAXException e) {
      throw new IllegalStateException(relative + " is not XML", e);
    }
  }

  private static List<Element> children(Element parent) {
    NodeList nodes = parent.getChildNodes();
    List<Element> elements = new java.util.ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        elements.add((Element) nodes.item(i));
      }
    }
    return elements;
  }

  private static Element child(Element parent, String name) {
    return children(parent).stream()
        .filter(element -> element.getTagName().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new IllegalStateException("no <" + name + "> in <" + parent.getTagName() + ">"));
  }

  private static String text(Element parent, String name) {
    return child(parent, name).getTextContent().trim();
  }
}
