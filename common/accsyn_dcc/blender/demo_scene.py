"""Run by Blender (or a Python with ``bpy``), never imported: build the demo project in the folder given after ``--``.

Writes ``textures/checker.png`` (pure green), ``lib/props.blend`` (a prop to link) and
``shots/demo.blend``: a plane textured with the PNG by absolute path, the linked prop, a camera,
3 frames at 64x48, rendered with Cycles on the CPU at 4 samples. Prints ``ACCSYN_DEMO <shot path>``.
"""

import importlib
import os
import sys

bpy = importlib.import_module("bpy")  # run by Blender only; the core never imports bpy when it is imported
addon_utils = importlib.import_module("addon_utils")  # importable once bpy has put Blender's modules on the path

root = sys.argv[sys.argv.index("--") + 1]
for folder in ("textures", "lib", "shots"):
    os.makedirs(os.path.join(root, folder), exist_ok=True)
texture = os.path.join(root, "textures", "checker.png")
library = os.path.join(root, "lib", "props.blend")
shot = os.path.join(root, "shots", "demo.blend")

bpy.ops.wm.read_factory_settings(use_empty=True)
image = bpy.data.images.new("checker", 16, 16)
image.pixels = [0.0, 1.0, 0.0, 1.0] * 256
image.filepath_raw = texture
image.file_format = "PNG"
image.save()

bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.mesh.primitive_cube_add(size=0.4, location=(0.7, 0.5, 0.2))
bpy.context.active_object.name = "Prop"
props = bpy.data.collections.new("Props")
bpy.context.scene.collection.children.link(props)
props.objects.link(bpy.context.active_object)
bpy.context.scene.collection.objects.unlink(bpy.context.active_object)
bpy.ops.wm.save_as_mainfile(filepath=library)

bpy.ops.wm.read_factory_settings(use_empty=True)
addon_utils.enable("cycles", default_set=True)
scene = bpy.context.scene
scene.render.engine = "CYCLES"
scene.cycles.device = "CPU"
scene.cycles.samples = 4
scene.render.resolution_x, scene.render.resolution_y, scene.render.resolution_percentage = 64, 48, 100
scene.view_settings.view_transform = "Standard"
scene.frame_start, scene.frame_end = 1, 3
scene.render.image_settings.file_format = "PNG"
scene.render.filepath = os.path.join(root, "renders", "beauty_####")
bpy.ops.mesh.primitive_plane_add(size=2)
plane = bpy.context.active_object
material = bpy.data.materials.new("Checker")
material.use_nodes = True
nodes = material.node_tree.nodes
texture_node = nodes.new("ShaderNodeTexImage")
texture_node.image = bpy.data.images.load(texture)
emission = nodes.new("ShaderNodeEmission")
material.node_tree.links.new(texture_node.outputs["Color"], emission.inputs["Color"])
material.node_tree.links.new(emission.outputs["Emission"], nodes["Material Output"].inputs["Surface"])
plane.data.materials.append(material)
bpy.ops.object.camera_add(location=(0, 0, 2.2))
scene.camera = bpy.context.active_object
with bpy.data.libraries.load(library, link=True) as (source, target):
    target.collections = ["Props"]
for collection in target.collections:
    instance = bpy.data.objects.new("Props", None)
    instance.instance_type = "COLLECTION"
    instance.instance_collection = collection
    scene.collection.objects.link(instance)
bpy.ops.wm.save_as_mainfile(filepath=shot, relative_remap=False)
print("ACCSYN_DEMO " + shot)
